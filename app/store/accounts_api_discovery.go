package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// notBlockedWith is the condition that identity i and viewer (an SQL
// expression, 0 when logged out) do not block each other, and that the
// viewer did not block i's domain.
func notBlockedWith(viewer string) string {
	return `NOT EXISTS (SELECT 1 FROM blocks b WHERE NOT b.mute AND b.state IN ('new', 'sent', 'received')
			AND ((b.source_id = ` + viewer + ` AND b.target_id = i.id) OR (b.source_id = i.id AND b.target_id = ` + viewer + `)))
		AND NOT EXISTS (SELECT 1 FROM identity_domain_blocks d WHERE d.identity_id = ` + viewer + ` AND d.domain = i.domain)`
}

func collectIdentities(rows pgx.Rows, err error) ([]*model.Identity, error) {
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Identity, error) { return scanIdentity(row) })
}

// Directory returns a page of the profile directory: live accounts that
// chose to be discoverable (only ours when local), not blocked either way
// with the viewer, by their newest post (order "active") or newest first
// ("new"). The identity columns go unqualified: the lateral subquery
// names its one column apart.
func Directory(ctx context.Context, db DB, viewer model.ID, local bool, order string, limit, offset int) ([]*model.Identity, error) {
	sort := "lp.last_post DESC NULLS LAST, i.id DESC"
	if order == "new" {
		sort = "i.created DESC, i.id DESC"
	}
	out, err := collectIdentities(db.Query(ctx, `SELECT `+identityColumns+` FROM identities i
		LEFT JOIN LATERAL (SELECT p.id AS last_post FROM posts p WHERE p.author_id = i.id AND p.deleted IS NULL
			ORDER BY p.id DESC LIMIT 1) lp ON true
		WHERE i.discoverable AND i.deleted IS NULL AND i.username IS NOT NULL AND (NOT $2 OR i.local)
		AND `+notBlockedWith("$1")+`
		ORDER BY `+sort+` LIMIT $3 OFFSET $4`, viewer, local, limit, offset))
	if err != nil {
		return nil, fmt.Errorf("store: directory: %w", err)
	}
	return out, nil
}

// SuggestedAccounts returns local discoverable accounts the viewer does
// not follow, has not asked to follow, blocks, mutes or dismissed, most
// followed first.
func SuggestedAccounts(ctx context.Context, db DB, viewer model.ID, limit int) ([]*model.Identity, error) {
	out, err := collectIdentities(db.Query(ctx, `SELECT `+identityColumns+` FROM identities i
		WHERE i.local AND i.discoverable AND i.deleted IS NULL AND i.username IS NOT NULL AND i.id <> $1
		AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.source_id = $1 AND f.target_id = i.id
			AND f.state NOT IN ('removed', 'undoing', 'rejecting'))
		AND NOT EXISTS (SELECT 1 FROM blocks m WHERE m.source_id = $1 AND m.target_id = i.id AND m.mute AND m.state = 'muted')
		AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals s WHERE s.identity_id = $1 AND s.target_id = i.id)
		AND `+notBlockedWith("$1")+`
		ORDER BY (SELECT count(*) FROM follows f WHERE f.target_id = i.id AND f.state = 'accepted') DESC, i.id DESC
		LIMIT $2`, viewer, limit))
	if err != nil {
		return nil, fmt.Errorf("store: suggestions for %d: %w", viewer, err)
	}
	return out, nil
}

// DismissSuggestion keeps target out of viewer's suggestions.
func DismissSuggestion(ctx context.Context, db DB, viewer, target model.ID) error {
	_, err := db.Exec(ctx, `INSERT INTO suggestion_dismissals (identity_id, target_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		viewer, target)
	if err != nil {
		return fmt.Errorf("store: %d dismissing suggestion %d: %w", viewer, target, err)
	}
	return nil
}

// FamiliarFollowers returns, for each of ids, the accounts the viewer
// follows that follow it too (newest follow first), leaving out those
// that hide whom they follow.
func FamiliarFollowers(ctx context.Context, db DB, viewer model.ID, ids []model.ID) (map[model.ID][]model.ID, error) {
	rows, err := db.Query(ctx, `SELECT f2.target_id, f2.source_id
		FROM follows f1 JOIN follows f2 ON f2.source_id = f1.target_id AND f2.state = 'accepted'
		JOIN identities i ON i.id = f2.source_id AND i.deleted IS NULL AND NOT i.hide_collections
		WHERE f1.source_id = $1 AND f1.state = 'accepted' AND f2.target_id = ANY ($2::bigint[])
		ORDER BY f2.id DESC`, viewer, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: familiar followers for %d: %w", viewer, err)
	}
	defer rows.Close()
	out := map[model.ID][]model.ID{}
	for rows.Next() {
		var target, follower model.ID
		if err := rows.Scan(&target, &follower); err != nil {
			return nil, fmt.Errorf("store: familiar followers for %d: %w", viewer, err)
		}
		out[target] = append(out[target], follower)
	}
	return out, rows.Err()
}
