package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"pukeko/app/model"
)

// Listed is an account in one of an identity's lists, with the key the
// list is paged by: the id of the follow, block, mute or endorsement that
// puts it there (Mastodon pages these lists by that row, not the account).
type Listed struct {
	Key      model.ID
	Identity *model.Identity
	Expires  *time.Time // mutes: when the mute ends (nil: never)
}

// maxListLimit bounds a page of a list; the API asks for at most 80
// accounts or 200 domains and tags.
const maxListLimit = 200

// listLimit is pg.Limit for lists, whose pages are larger than timelines'.
func listLimit(pg Page) int {
	switch {
	case pg.Limit <= 0:
		return 40
	case pg.Limit > maxListLimit:
		return maxListLimit
	}
	return pg.Limit
}

// pageListed pages through a list: the rows of from (which joins the
// listed identity as i) matching where, newest key first, with the page's
// bounds; then loads their identities in one more query. args are $1.. of
// where.
func pageListed(ctx context.Context, db DB, what, from, where, key, expires string, pg Page, args ...any) ([]Listed, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	n := len(args)
	q := fmt.Sprintf(`SELECT %s, i.id, %s FROM %s WHERE %s AND i.deleted IS NULL
		AND ($%d::bigint = 0 OR %s < $%d) AND ($%d::bigint = 0 OR %s > $%d) ORDER BY %s %s LIMIT $%d`,
		key, expires, from, where, n+1, key, n+1, n+2, key, n+2, key, order, n+3)
	args = append(args, int64(pg.MaxID), int64(lower), listLimit(pg))
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Listed
	var ids []model.ID
	for rows.Next() {
		var l Listed
		var id model.ID
		if err := rows.Scan(&l.Key, &id, &l.Expires); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		l.Identity = &model.Identity{ID: id}
		out = append(out, l)
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	found, err := IdentitiesByIDs(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[model.ID]*model.Identity, len(found))
	for _, i := range found {
		byID[i.ID] = i
	}
	kept := out[:0]
	for _, l := range out {
		if i := byID[l.Identity.ID]; i != nil {
			l.Identity = i
			kept = append(kept, l)
		}
	}
	return kept, nil
}

// Followers returns a page of the accounts following target (accepted).
func Followers(ctx context.Context, db DB, target model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("followers of %d", target),
		"follows f JOIN identities i ON i.id = f.source_id", "f.target_id = $1 AND f.state = 'accepted'",
		"f.id", "NULL::timestamptz", pg, target)
}

// Following returns a page of the accounts source follows (accepted).
func Following(ctx context.Context, db DB, source model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("followings of %d", source),
		"follows f JOIN identities i ON i.id = f.target_id", "f.source_id = $1 AND f.state = 'accepted'",
		"f.id", "NULL::timestamptz", pg, source)
}

// FollowRequests returns a page of the accounts waiting for target (ours,
// locked) to approve their follow.
func FollowRequests(ctx context.Context, db DB, target model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("follow requests of %d", target),
		"follows f JOIN identities i ON i.id = f.source_id", "f.target_id = $1 AND f.state = 'pending_approval'",
		"f.id", "NULL::timestamptz", pg, target)
}

// FollowRequestCount counts the follow requests waiting for target.
func FollowRequestCount(ctx context.Context, db DB, target model.ID) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM follows WHERE target_id = $1 AND state = 'pending_approval'`, target).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: follow requests of %d: %w", target, err)
	}
	return n, nil
}

// BlockedAccounts returns a page of the accounts source blocks.
func BlockedAccounts(ctx context.Context, db DB, source model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("blocks of %d", source),
		"blocks b JOIN identities i ON i.id = b.target_id", "b.source_id = $1 AND NOT b.mute AND b.state IN ('new', 'sent')",
		"b.id", "NULL::timestamptz", pg, source)
}

// MutedAccounts returns a page of the accounts source mutes (mutes in
// force), with when each mute ends.
func MutedAccounts(ctx context.Context, db DB, source model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("mutes of %d", source),
		"blocks b JOIN identities i ON i.id = b.target_id",
		"b.source_id = $1 AND b.mute AND b.state = 'muted' AND (b.expires IS NULL OR b.expires > now())",
		"b.id", "b.expires", pg, source)
}

// EndorsedAccounts returns a page of the accounts identity features on
// its profile and still follows (as social.Following counts a follow).
func EndorsedAccounts(ctx context.Context, db DB, identity model.ID, pg Page) ([]Listed, error) {
	return pageListed(ctx, db, fmt.Sprintf("endorsements of %d", identity),
		"endorsements e JOIN identities i ON i.id = e.target_id", `e.identity_id = $1 AND EXISTS (SELECT 1 FROM follows f
			WHERE f.source_id = e.identity_id AND f.target_id = e.target_id
			AND (f.state = 'accepted' OR (f.state = 'unrequested' AND i.local AND NOT i.locked)))`,
		"e.id", "NULL::timestamptz", pg, identity)
}
