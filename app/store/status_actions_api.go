package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// threadOf is the thread a post (alias p) belongs to: its context, or its
// own URI when it has none.
const threadOf = `coalesce(nullif(p.context, ''), p.uri)`

// ThreadOf returns the thread key of a post (see threadOf).
func ThreadOf(p *model.Post) string {
	if p.Context != "" {
		return p.Context
	}
	return p.URI
}

// MuteThread silences the notifications of a post's thread for an
// identity (again: no change).
func MuteThread(ctx context.Context, db DB, identityID model.ID, thread string) error {
	_, err := db.Exec(ctx, `INSERT INTO thread_mutes (identity_id, thread) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		identityID, thread)
	if err != nil {
		return fmt.Errorf("store: muting a thread for %d: %w", identityID, err)
	}
	return nil
}

// UnmuteThread lifts a thread mute, if there is one.
func UnmuteThread(ctx context.Context, db DB, identityID model.ID, thread string) error {
	if _, err := db.Exec(ctx, `DELETE FROM thread_mutes WHERE identity_id = $1 AND thread = $2`, identityID, thread); err != nil {
		return fmt.Errorf("store: unmuting a thread for %d: %w", identityID, err)
	}
	return nil
}

// MutedThreadPosts returns which of posts belong to a thread reader muted.
func MutedThreadPosts(ctx context.Context, db DB, reader model.ID, ids []model.ID) (map[model.ID]bool, error) {
	out := map[model.ID]bool{}
	if reader == 0 || len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Query(ctx, `SELECT p.id FROM posts p JOIN thread_mutes tm ON tm.identity_id = $1 AND tm.thread = `+threadOf+`
		WHERE p.id = ANY ($2::bigint[])`, reader, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: muted threads of %d: %w", reader, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id model.ID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: muted threads of %d: %w", reader, err)
		}
		out[id] = true
	}
	return out, rows.Err()
}

// VisiblePostsByIDs returns the posts of ids that reader may see, in the
// order of ids (each once); the others are left out.
func VisiblePostsByIDs(ctx context.Context, db DB, reader model.ID, ids []model.ID) ([]*model.Post, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	posts, err := collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.id = ANY ($1::bigint[]) AND `+VisibleTo("$2"), int64s(ids), reader))
	if err != nil {
		return nil, fmt.Errorf("store: posts by id: %w", err)
	}
	byID := make(map[model.ID]*model.Post, len(posts))
	for _, p := range posts {
		byID[p.ID] = p
	}
	out := make([]*model.Post, 0, len(posts))
	for _, id := range ids {
		if p := byID[id]; p != nil {
			out = append(out, p)
			delete(byID, id)
		}
	}
	return out, nil
}

// KeyedIdentity is an identity on a page listed by something else's id
// (a like, a boost, a follow): Key is that id, which pages the list.
type KeyedIdentity struct {
	*model.Identity
	Key model.ID
}

// InteractionAccounts returns a page of the live identities with an
// interaction of typ (like, boost) in force with a post, the latest
// first, paged by the interaction's id. Identities reader blocks or mutes,
// or that block reader, are left out.
func InteractionAccounts(ctx context.Context, db DB, postID model.ID, typ string, reader model.ID, pg Page, limit int) ([]KeyedIdentity, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	rows, err := db.Query(ctx, `SELECT `+identityColumns+`, x.k FROM (
			SELECT pi.identity_id AS iid, pi.id AS k FROM post_interactions pi
			WHERE pi.post_id = $1 AND pi.type = $2 AND `+activeInteraction+`
			AND ($3::bigint = 0 OR pi.id < $3) AND ($4::bigint = 0 OR pi.id > $4)
			AND NOT EXISTS (SELECT 1 FROM blocks b WHERE $5::bigint <> 0 AND ((b.source_id = $5 AND b.target_id = pi.identity_id
				AND b.state IN ('new', 'sent', 'muted') AND (b.expires IS NULL OR b.expires > now()))
				OR (b.source_id = pi.identity_id AND b.target_id = $5 AND NOT b.mute AND b.state IN ('new', 'sent', 'received'))))
		) x JOIN identities ON identities.id = x.iid AND identities.deleted IS NULL
		ORDER BY x.k `+order+` LIMIT $6`, postID, typ, int64(pg.MaxID), int64(lower), reader, limit)
	if err != nil {
		return nil, fmt.Errorf("store: %s accounts of post %d: %w", typ, postID, err)
	}
	out, err := collectKeyedIdentities(rows)
	if err != nil {
		return nil, fmt.Errorf("store: %s accounts of post %d: %w", typ, postID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// collectKeyedIdentities scans rows of identityColumns followed by a key.
func collectKeyedIdentities(rows pgx.Rows) ([]KeyedIdentity, error) {
	defer rows.Close()
	var out []KeyedIdentity
	for rows.Next() {
		var key int64
		i, err := scanIdentity(extraRow{rows, []any{&key}})
		if err != nil {
			return nil, err
		}
		out = append(out, KeyedIdentity{Identity: i, Key: model.ID(key)})
	}
	return out, rows.Err()
}

// SetBoostVisibility records the audience a boost was made for (public,
// unlisted, private).
func SetBoostVisibility(ctx context.Context, db DB, boostID model.ID, visibility string) error {
	if _, err := db.Exec(ctx, `UPDATE post_interactions SET visibility = $2 WHERE id = $1 AND type = 'boost'`,
		boostID, visibility); err != nil {
		return fmt.Errorf("store: visibility of boost %d: %w", boostID, err)
	}
	return nil
}

// BoostVisibility returns the audience of a boost ("" for the default).
func BoostVisibility(ctx context.Context, db DB, boostID model.ID) (string, error) {
	var v string
	err := db.QueryRow(ctx, `SELECT visibility FROM post_interactions WHERE id = $1`, boostID).Scan(&v)
	if err != nil && err != pgx.ErrNoRows {
		return "", fmt.Errorf("store: visibility of boost %d: %w", boostID, err)
	}
	return v, nil
}
