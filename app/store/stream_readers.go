package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// The queries of streaming delivery. A process delivers an event to every
// client it has connected at once, so each takes the set of readers (or
// lists) concerned and answers for all of them in one round trip.

// StreamReaders returns which of readers may see a post, by VisibleTo
// (deleted posts: nobody).
func StreamReaders(ctx context.Context, db DB, postID model.ID, readers []model.ID) (map[model.ID]bool, error) {
	return idSet(ctx, db, "readers of post", `SELECT r.id FROM unnest($2::bigint[]) AS r (id) JOIN posts p ON p.id = $1
		WHERE `+VisibleTo("r.id"), postID, int64s(readers))
}

// StreamHomeHolders returns which of readers have a post (or a boost of
// it) in their home timeline.
func StreamHomeHolders(ctx context.Context, db DB, postID model.ID, readers []model.ID) (map[model.ID]bool, error) {
	return idSet(ctx, db, "home timelines holding post", `SELECT DISTINCT e.identity_id FROM timeline_events e
		WHERE e.post_id = $1 AND e.type = 'post' AND e.identity_id = ANY ($2::bigint[])`, postID, int64s(readers))
}

// StreamViewerStates returns what each of viewers did to one post: the
// states of ViewerStates, for many viewers of one post instead of one
// viewer of many posts.
func StreamViewerStates(ctx context.Context, db DB, postID model.ID, viewers []model.ID) (map[model.ID]ViewerState, error) {
	out := make(map[model.ID]ViewerState, len(viewers))
	err := collectViewerStates(ctx, db, out, fmt.Sprintf("viewer states of post %d", postID), `SELECT identity_id, type FROM post_interactions
		WHERE post_id = $1 AND identity_id = ANY ($2::bigint[]) AND type IN ('like', 'boost', 'pin')
		AND state IN ('new', 'fanned_out', 'received')
		UNION ALL SELECT identity_id, 'bookmark' FROM bookmarks WHERE post_id = $1 AND identity_id = ANY ($2::bigint[])`,
		postID, int64s(viewers))
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StreamListsShowing returns which of lists show a post that member wrote
// (boost false) or boosted (boost true): member is on the list, the list's
// owner may see the post, and a reply passes the list's replies policy as
// in Mastodon (replies to oneself and to the owner always; to accounts the
// owner follows with 'followed', to members with 'list', none with 'none').
func StreamListsShowing(ctx context.Context, db DB, postID, member model.ID, boost bool, lists []model.ID) (map[model.ID]bool, error) {
	return idSet(ctx, db, "lists showing post", `SELECT l.id FROM lists l
		JOIN list_accounts la ON la.list_id = l.id AND la.identity_id = $3
		JOIN posts p ON p.id = $1
		LEFT JOIN posts rp ON rp.id = p.in_reply_to_id
		WHERE l.id = ANY ($2::bigint[]) AND `+VisibleTo("l.identity_id")+`
		AND ($4 OR p.in_reply_to_uri = '' OR rp.author_id = p.author_id OR rp.author_id = l.identity_id
			OR (l.replies_policy = 'followed' AND EXISTS (SELECT 1 FROM follows f WHERE f.source_id = l.identity_id
				AND f.target_id = rp.author_id AND f.state = 'accepted'))
			OR (l.replies_policy = 'list' AND EXISTS (SELECT 1 FROM list_accounts m WHERE m.list_id = l.id
				AND m.identity_id = rp.author_id)))`, postID, int64s(lists), member, boost)
}

// StreamListsWithMember returns which of lists have member on them.
func StreamListsWithMember(ctx context.Context, db DB, member model.ID, lists []model.ID) (map[model.ID]bool, error) {
	return idSet(ctx, db, "lists with member", `SELECT list_id FROM list_accounts
		WHERE list_id = ANY ($1::bigint[]) AND identity_id = $2`, int64s(lists), member)
}

// StreamListOwner returns the identity owning a list, 0 when there is no
// such list.
func StreamListOwner(ctx context.Context, db DB, listID model.ID) (model.ID, error) {
	var owner model.ID
	err := db.QueryRow(ctx, "SELECT identity_id FROM lists WHERE id = $1", listID).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("store: owner of list %d: %w", listID, err)
	}
	return owner, nil
}

// StreamNotification returns a notification of an identity, nil when it
// is gone, dismissed or filtered by the identity's notification policy.
func StreamNotification(ctx context.Context, db DB, identityID model.ID, id int64) (*model.Notification, error) {
	var n model.Notification
	err := db.QueryRow(ctx, `SELECT e.id, e.identity_id, e.type, coalesce(e.post_id, 0), coalesce(e.subject_id, 0), e.created, e.seen
		FROM timeline_events e WHERE e.identity_id = $1 AND e.type <> 'post' AND e.id = $2 AND NOT e.dismissed AND NOT e.filtered`,
		identityID, id).Scan(&n.ID, &n.IdentityID, &n.Type, &n.PostID, &n.SubjectID, &n.Created, &n.Seen)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: notification %d: %w", id, err)
	}
	return &n, nil
}

// idSet runs a query of one id column and returns the ids as a set.
func idSet(ctx context.Context, db DB, what, q string, args ...any) (map[model.ID]bool, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[model.ID]bool{}
	for rows.Next() {
		var id model.ID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}
