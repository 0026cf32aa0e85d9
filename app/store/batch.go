package store

import (
	"context"
	"fmt"
	"time"

	"pukeko/app/model"
)

// Batch loaders for rendering pages of posts and accounts (the client
// API): one query per kind of detail for a whole page, never one per row.

// PostCountsByIDs returns the counters of posts.
func PostCountsByIDs(ctx context.Context, db DB, ids []model.ID) (map[model.ID]model.PostCounts, error) {
	rows, err := db.Query(ctx, `SELECT id, likes_count, boosts_count, replies_count, reactions_count
		FROM posts WHERE id = ANY ($1::bigint[])`, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: post counts: %w", err)
	}
	defer rows.Close()
	out := make(map[model.ID]model.PostCounts, len(ids))
	for rows.Next() {
		var id model.ID
		var c model.PostCounts
		if err := rows.Scan(&id, &c.Likes, &c.Boosts, &c.Replies, &c.Reactions); err != nil {
			return nil, fmt.Errorf("store: post counts: %w", err)
		}
		out[id] = c
	}
	return out, rows.Err()
}

// ViewerState is what one reader did to a post.
type ViewerState struct {
	Liked, Boosted, Bookmarked, Pinned bool
}

// viewerStatesSQL lists (post, what) pairs of reader's ($1) interactions
// in force with posts ($2) and bookmarks.
const viewerStatesSQL = `SELECT post_id, type FROM post_interactions
	WHERE identity_id = $1 AND post_id = ANY ($2::bigint[]) AND type IN ('like', 'boost', 'pin')
	AND state IN ('new', 'fanned_out', 'received')
	UNION ALL SELECT post_id, 'bookmark' FROM bookmarks WHERE identity_id = $1 AND post_id = ANY ($2::bigint[])`

// with notes one more thing done to the post.
func (s ViewerState) with(typ string) ViewerState {
	switch typ {
	case "like":
		s.Liked = true
	case "boost":
		s.Boosted = true
	case "pin":
		s.Pinned = true
	case "bookmark":
		s.Bookmarked = true
	}
	return s
}

// ViewerStates returns what reader did to each of posts (interactions in
// force, bookmarks).
func ViewerStates(ctx context.Context, db DB, reader model.ID, ids []model.ID) (map[model.ID]ViewerState, error) {
	out := make(map[model.ID]ViewerState, len(ids))
	if reader == 0 || len(ids) == 0 {
		return out, nil
	}
	if err := collectViewerStates(ctx, db, out, "viewer states", viewerStatesSQL, reader, int64s(ids)); err != nil {
		return nil, err
	}
	return out, nil
}

// collectViewerStates runs q, a query of (id, what was done) pairs, and
// notes them in out by id; what names the query in errors.
func collectViewerStates(ctx context.Context, db DB, out map[model.ID]ViewerState, what, q string, args ...any) error {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id model.ID
		var typ string
		if err := rows.Scan(&id, &typ); err != nil {
			return fmt.Errorf("store: %s: %w", what, err)
		}
		out[id] = out[id].with(typ)
	}
	return rows.Err()
}

// PollsByPosts returns the polls of posts.
func PollsByPosts(ctx context.Context, db DB, ids []model.ID) (map[model.ID]*model.Poll, error) {
	rows, err := db.Query(ctx, `SELECT `+pollColumns+` FROM polls pl WHERE pl.post_id = ANY ($1::bigint[])`, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: polls: %w", err)
	}
	defer rows.Close()
	out := map[model.ID]*model.Poll{}
	for rows.Next() {
		p, err := scanPoll(rows)
		if err != nil {
			return nil, fmt.Errorf("store: polls: %w", err)
		}
		out[p.PostID] = p
	}
	return out, rows.Err()
}

// VotesByPosts returns reader's choices in the polls of posts.
func VotesByPosts(ctx context.Context, db DB, reader model.ID, ids []model.ID) (map[model.ID][]int, error) {
	out := map[model.ID][]int{}
	if reader == 0 || len(ids) == 0 {
		return out, nil
	}
	rows, err := db.Query(ctx, `SELECT post_id, choice FROM poll_votes
		WHERE identity_id = $1 AND post_id = ANY ($2::bigint[]) ORDER BY post_id, choice`, reader, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: votes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id model.ID
		var c int
		if err := rows.Scan(&id, &c); err != nil {
			return nil, fmt.Errorf("store: votes: %w", err)
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// EmojiByPosts returns the custom emoji of posts.
func EmojiByPosts(ctx context.Context, db DB, ids []model.ID) (map[model.ID][]*model.Emoji, error) {
	rows, err := db.Query(ctx, `SELECT pe.post_id, `+emojiColumns+` FROM post_emoji pe JOIN emoji em ON em.id = pe.emoji_id
		WHERE pe.post_id = ANY ($1::bigint[]) ORDER BY pe.post_id, em.shortcode`, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: post emoji: %w", err)
	}
	defer rows.Close()
	out := map[model.ID][]*model.Emoji{}
	for rows.Next() {
		var id model.ID
		var e model.Emoji
		if err := rows.Scan(&id, &e.ID, &e.Shortcode, &e.Domain, &e.ImageURL, &e.MediaType, &e.VisibleInPicker, &e.URI,
			&e.Created, &e.Updated); err != nil {
			return nil, fmt.Errorf("store: post emoji: %w", err)
		}
		out[id] = append(out[id], &e)
	}
	return out, rows.Err()
}

// AccountStats are an identity's counters for the API.
type AccountStats struct {
	Followers, Following, Statuses int
	LastStatus                     *time.Time
}

// accountStatsSQL gives the counters of identities ($1), kept by the
// triggers of schema 0018.
const accountStatsSQL = `SELECT id, followers_count, following_count, statuses_count, last_status_at
	FROM identities WHERE id = ANY ($1::bigint[])`

// AccountStatsByIDs returns the counters of identities: accepted follows
// both ways, and their posts that are not deleted.
func AccountStatsByIDs(ctx context.Context, db DB, ids []model.ID) (map[model.ID]AccountStats, error) {
	rows, err := db.Query(ctx, accountStatsSQL, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: account stats: %w", err)
	}
	defer rows.Close()
	out := make(map[model.ID]AccountStats, len(ids))
	for rows.Next() {
		var id model.ID
		var s AccountStats
		if err := rows.Scan(&id, &s.Followers, &s.Following, &s.Statuses, &s.LastStatus); err != nil {
			return nil, fmt.Errorf("store: account stats: %w", err)
		}
		out[id] = s
	}
	return out, rows.Err()
}

// PostsByIDs loads posts by id (absent ones are left out), in no order.
func PostsByIDs(ctx context.Context, db DB, ids []model.ID) ([]*model.Post, error) {
	return collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM posts p WHERE p.id = ANY ($1::bigint[])`, int64s(ids)))
}
