package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const followColumns = `id, source_id, target_id, uri, boosts, notify, state, created`

func scanFollow(row pgx.Row) (*model.Follow, error) {
	var f model.Follow
	err := row.Scan(&f.ID, &f.SourceID, &f.TargetID, &f.URI, &f.Boosts, &f.Notify, &f.State, &f.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &f, err
}

// CreateFollow inserts f in state, unless source already follows (or asked
// to follow) target: then the existing follow is returned and created is
// false. Concurrent calls for one pair end with one row.
func CreateFollow(ctx context.Context, db DB, f *model.Follow, state string) (existing *model.Follow, created bool, err error) {
	if f.ID == 0 {
		f.ID = model.NewID()
	}
	tag, err := db.Exec(ctx, `INSERT INTO follows (id, source_id, target_id, uri, boosts, notify, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		f.ID, f.SourceID, f.TargetID, f.URI, f.Boosts, f.Notify, state)
	if err != nil {
		return nil, false, fmt.Errorf("store: creating follow: %w", err)
	}
	got, err := FollowBetween(ctx, db, f.SourceID, f.TargetID)
	if err != nil {
		return nil, false, err
	}
	if got == nil {
		// The conflict was on the URI: another pair holds that activity id.
		return nil, false, fmt.Errorf("store: follow activity %s already recorded for another pair", f.URI)
	}
	return got, tag.RowsAffected() == 1, nil
}

// FollowBetween returns the follow of source to target, or nil.
func FollowBetween(ctx context.Context, db DB, source, target model.ID) (*model.Follow, error) {
	f, err := scanFollow(db.QueryRow(ctx, "SELECT "+followColumns+" FROM follows WHERE source_id = $1 AND target_id = $2", source, target))
	if err != nil {
		return nil, fmt.Errorf("store: follow %d->%d: %w", source, target, err)
	}
	return f, nil
}

// FollowByID returns a follow, or nil.
func FollowByID(ctx context.Context, db DB, id model.ID) (*model.Follow, error) {
	f, err := scanFollow(db.QueryRow(ctx, "SELECT "+followColumns+" FROM follows WHERE id = $1", id))
	if err != nil {
		return nil, fmt.Errorf("store: follow %d: %w", id, err)
	}
	return f, nil
}

// FollowByURI returns the follow whose Follow activity has id uri, or nil.
func FollowByURI(ctx context.Context, db DB, uri string) (*model.Follow, error) {
	f, err := scanFollow(db.QueryRow(ctx, "SELECT "+followColumns+" FROM follows WHERE uri = $1", uri))
	if err != nil {
		return nil, fmt.Errorf("store: follow %s: %w", uri, err)
	}
	return f, nil
}

// FollowCounts returns how many accepted followers and followings an
// identity has.
func FollowCounts(ctx context.Context, db DB, id model.ID) (followers, following int, err error) {
	err = db.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM follows WHERE target_id = $1 AND state = 'accepted'),
		(SELECT count(*) FROM follows WHERE source_id = $1 AND state = 'accepted')`, id).Scan(&followers, &following)
	return followers, following, err
}

// FollowerURIs pages through the actor URIs of an identity's accepted
// followers, newest first.
func FollowerURIs(ctx context.Context, db DB, id model.ID, limit, offset int) ([]string, error) {
	return uris(ctx, db, `SELECT i.uri FROM follows f JOIN identities i ON i.id = f.source_id
		WHERE f.target_id = $1 AND f.state = 'accepted' ORDER BY f.id DESC LIMIT $2 OFFSET $3`, id, limit, offset)
}

// FollowingURIs pages through the actor URIs an identity follows.
func FollowingURIs(ctx context.Context, db DB, id model.ID, limit, offset int) ([]string, error) {
	return uris(ctx, db, `SELECT i.uri FROM follows f JOIN identities i ON i.id = f.target_id
		WHERE f.source_id = $1 AND f.state = 'accepted' ORDER BY f.id DESC LIMIT $2 OFFSET $3`, id, limit, offset)
}

func uris(ctx context.Context, db DB, q string, args ...any) ([]string, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return out, nil
}

// LocalIdentityCount counts the live local identities of a domain.
func LocalIdentityCount(ctx context.Context, db DB, domain string) (int, error) {
	var n int
	err := db.QueryRow(ctx, "SELECT count(*) FROM identities WHERE local AND domain = $1 AND deleted IS NULL", domain).Scan(&n)
	return n, err
}

// SetFollowOptions changes what a follower takes of the followed account:
// its boosts in the home timeline, a notification per post, and, when
// languages is not nil, only posts in *languages (empty: all).
func SetFollowOptions(ctx context.Context, db DB, id model.ID, boosts, notify bool, languages *[]string) error {
	var langs []string
	if languages != nil && len(*languages) > 0 {
		langs = *languages
	}
	_, err := db.Exec(ctx, `UPDATE follows SET boosts = $2, notify = $3,
		languages = CASE WHEN $5 THEN $4 ELSE languages END, updated = now() WHERE id = $1`,
		id, boosts, notify, langs, languages != nil)
	if err != nil {
		return fmt.Errorf("store: options of follow %d: %w", id, err)
	}
	return nil
}

// FollowersFrom lists the follows of target by identities of domain that
// are in force or on their way (a domain block removes them).
func FollowersFrom(ctx context.Context, db DB, target model.ID, domain string) ([]*model.Follow, error) {
	rows, err := db.Query(ctx, `SELECT `+followColumns+` FROM follows WHERE target_id = $1
		AND state NOT IN ('removed', 'rejecting', 'undoing')
		AND source_id IN (SELECT id FROM identities WHERE domain = $2)`, target, domain)
	if err != nil {
		return nil, fmt.Errorf("store: followers of %d from %s: %w", target, domain, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Follow, error) { return scanFollow(row) })
	if err != nil {
		return nil, fmt.Errorf("store: followers of %d from %s: %w", target, domain, err)
	}
	return out, nil
}
