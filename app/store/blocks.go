package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const blockColumns = `id, source_id, target_id, mute, uri, notifications, expires, state, created`

func scanBlock(row pgx.Row) (*model.Block, error) {
	var b model.Block
	err := row.Scan(&b.ID, &b.SourceID, &b.TargetID, &b.Mute, &b.URI, &b.Notifications, &b.Expires, &b.State, &b.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &b, err
}

// CreateBlock inserts a block or mute in state, or returns the one that
// exists between the two (created false).
func CreateBlock(ctx context.Context, db DB, b *model.Block, state string) (*model.Block, bool, error) {
	if b.ID == 0 {
		b.ID = model.NewID()
	}
	tag, err := db.Exec(ctx, `INSERT INTO blocks (id, source_id, target_id, mute, uri, notifications, expires, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		b.ID, b.SourceID, b.TargetID, b.Mute, b.URI, b.Notifications, b.Expires, state)
	if err != nil {
		return nil, false, fmt.Errorf("store: creating block: %w", err)
	}
	got, err := BlockBetween(ctx, db, b.SourceID, b.TargetID, b.Mute)
	return got, tag.RowsAffected() == 1, err
}

// BlockBetween returns source's block (or mute) of target, or nil.
func BlockBetween(ctx context.Context, db DB, source, target model.ID, mute bool) (*model.Block, error) {
	b, err := scanBlock(db.QueryRow(ctx, "SELECT "+blockColumns+" FROM blocks WHERE source_id = $1 AND target_id = $2 AND mute = $3",
		source, target, mute))
	if err != nil {
		return nil, fmt.Errorf("store: block %d->%d: %w", source, target, err)
	}
	return b, nil
}

// BlockByID returns a block, or nil.
func BlockByID(ctx context.Context, db DB, id model.ID) (*model.Block, error) {
	return scanBlock(db.QueryRow(ctx, "SELECT "+blockColumns+" FROM blocks WHERE id = $1", id))
}

// BlockByURI returns the block recorded for a Block activity id, or nil.
func BlockByURI(ctx context.Context, db DB, uri string) (*model.Block, error) {
	return scanBlock(db.QueryRow(ctx, "SELECT "+blockColumns+" FROM blocks WHERE uri = $1", uri))
}

// BlockedEitherWay reports whether a or b blocks the other, or blocked
// the other's whole domain (a user's domain block: no follows either way,
// as in Mastodon).
func BlockedEitherWay(ctx context.Context, db DB, a, b model.ID) (bool, error) {
	var blocked bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM blocks WHERE NOT mute AND state NOT IN ('undoing', 'removed')
		AND ((source_id = $1 AND target_id = $2) OR (source_id = $2 AND target_id = $1)))
		OR EXISTS (SELECT 1 FROM identity_domain_blocks d JOIN identities i ON i.domain = d.domain
			WHERE (d.identity_id = $1 AND i.id = $2) OR (d.identity_id = $2 AND i.id = $1))`, a, b).Scan(&blocked)
	return blocked, err
}

// MuteExpires returns the expiry of a mute (nil: never).
func MuteExpires(ctx context.Context, db DB, id model.ID) (*time.Time, error) {
	var t *time.Time
	err := db.QueryRow(ctx, "SELECT expires FROM blocks WHERE id = $1", id).Scan(&t)
	return t, err
}
