package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// activeInteraction is the condition for interactions in force (alias
// pi): ours not undone, and those received. The states are the
// interaction graph's (app/social).
const activeInteraction = `pi.state IN ('new', 'fanned_out', 'received')`

const interactionColumns = `pi.id, pi.type, pi.identity_id, pi.post_id, pi.uri, pi.value, pi.state, pi.created`

func scanInteraction(row pgx.Row) (*model.Interaction, error) {
	var it model.Interaction
	err := row.Scan(&it.ID, &it.Type, &it.IdentityID, &it.PostID, &it.URI, &it.Value, &it.State, &it.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: interaction: %w", err)
	}
	return &it, nil
}

// InsertInteraction stores an interaction in state, unless one with its
// URI, or the same identity, post, type and value, exists: then nothing
// changes and inserted is false, so an activity delivered twice is one
// row. due says whether the graph has work in state (false for the
// received state, which keeps the row out of the Stator index).
func InsertInteraction(ctx context.Context, db DB, it *model.Interaction, state string, due bool) (inserted bool, err error) {
	if it.ID == 0 {
		it.ID = model.NewID()
	}
	tag, err := db.Exec(ctx, `INSERT INTO post_interactions (id, type, identity_id, post_id, uri, value, state, state_next_attempt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8::boolean THEN now() END) ON CONFLICT DO NOTHING`,
		it.ID, it.Type, it.IdentityID, it.PostID, it.URI, it.Value, state, due)
	if err != nil {
		return false, fmt.Errorf("store: creating %s of post %d: %w", it.Type, it.PostID, err)
	}
	it.State = state
	return tag.RowsAffected() == 1, nil
}

// InteractionByID returns an interaction, or nil.
func InteractionByID(ctx context.Context, db DB, id model.ID) (*model.Interaction, error) {
	return scanInteraction(db.QueryRow(ctx, "SELECT "+interactionColumns+" FROM post_interactions pi WHERE pi.id = $1", id))
}

// InteractionByURI returns the interaction of an activity id, or nil.
func InteractionByURI(ctx context.Context, db DB, uri string) (*model.Interaction, error) {
	return scanInteraction(db.QueryRow(ctx, "SELECT "+interactionColumns+" FROM post_interactions pi WHERE pi.uri = $1", uri))
}

// InteractionOf returns identity's interaction of type (with value) with
// a post, in whatever state, or nil.
func InteractionOf(ctx context.Context, db DB, identityID, postID model.ID, typ, value string) (*model.Interaction, error) {
	return scanInteraction(db.QueryRow(ctx, "SELECT "+interactionColumns+` FROM post_interactions pi
		WHERE pi.identity_id = $1 AND pi.post_id = $2 AND pi.type = $3 AND pi.value = $4`, identityID, postID, typ, value))
}

// DeleteInteraction deletes an interaction.
func DeleteInteraction(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, "DELETE FROM post_interactions WHERE id = $1", id); err != nil {
		return fmt.Errorf("store: deleting interaction %d: %w", id, err)
	}
	return nil
}

// RecountInteractions recomputes a post's likes, boosts and reactions from
// the interactions in force.
func RecountInteractions(ctx context.Context, db DB, postID model.ID) error {
	_, err := db.Exec(ctx, `UPDATE posts p SET likes_count = c.likes, boosts_count = c.boosts, reactions_count = c.reactions
		FROM (SELECT count(*) FILTER (WHERE pi.type = 'like') AS likes, count(*) FILTER (WHERE pi.type = 'boost') AS boosts,
				count(*) FILTER (WHERE pi.type = 'reaction') AS reactions
			FROM post_interactions pi WHERE pi.post_id = $1 AND pi.type IN ('like', 'boost', 'reaction') AND `+activeInteraction+`) c
		WHERE p.id = $1 AND (p.likes_count, p.boosts_count, p.reactions_count) IS DISTINCT FROM (c.likes, c.boosts, c.reactions)`, postID)
	if err != nil {
		return fmt.Errorf("store: counting interactions of post %d: %w", postID, err)
	}
	return nil
}

// RecountReplies recomputes a post's replies: those not deleted and not
// direct.
func RecountReplies(ctx context.Context, db DB, postID model.ID) error {
	_, err := db.Exec(ctx, `UPDATE posts p SET replies_count = c.n FROM (SELECT count(*) AS n FROM posts r
		WHERE r.in_reply_to_id = $1 AND r.deleted IS NULL AND r.visibility <> 'direct') c
		WHERE p.id = $1 AND p.replies_count <> c.n`, postID)
	if err != nil {
		return fmt.Errorf("store: counting replies of post %d: %w", postID, err)
	}
	return nil
}

// PostCounts returns a post's counters.
func PostCounts(ctx context.Context, db DB, postID model.ID) (model.PostCounts, error) {
	var c model.PostCounts
	err := db.QueryRow(ctx, "SELECT likes_count, boosts_count, replies_count, reactions_count FROM posts WHERE id = $1",
		postID).Scan(&c.Likes, &c.Boosts, &c.Replies, &c.Reactions)
	if err != nil {
		return c, fmt.Errorf("store: counts of post %d: %w", postID, err)
	}
	return c, nil
}

// Interactions returns the interactions of type in force with a post,
// oldest first.
func Interactions(ctx context.Context, db DB, postID model.ID, typ string) ([]*model.Interaction, error) {
	rows, err := db.Query(ctx, "SELECT "+interactionColumns+` FROM post_interactions pi
		WHERE pi.post_id = $1 AND pi.type = $2 AND `+activeInteraction+` ORDER BY pi.id`, postID, typ)
	if err != nil {
		return nil, fmt.Errorf("store: interactions of post %d: %w", postID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Interaction, error) { return scanInteraction(row) })
	if err != nil {
		return nil, fmt.Errorf("store: interactions of post %d: %w", postID, err)
	}
	return out, nil
}

// LockIdentity locks an identity's row until the end of the transaction
// tx, serialising changes that check a limit (pins).
func LockIdentity(ctx context.Context, tx DB, id model.ID) error {
	var one int
	if err := tx.QueryRow(ctx, "SELECT 1 FROM identities WHERE id = $1 FOR UPDATE", id).Scan(&one); err != nil {
		return fmt.Errorf("store: locking identity %d: %w", id, err)
	}
	return nil
}

// PinCount counts an identity's pins in force of posts not deleted.
func PinCount(ctx context.Context, db DB, identityID model.ID) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM post_interactions pi JOIN posts p ON p.id = pi.post_id
		WHERE pi.identity_id = $1 AND pi.type = 'pin' AND `+activeInteraction+` AND p.deleted IS NULL`, identityID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: pins of %d: %w", identityID, err)
	}
	return n, nil
}

// PinnedPosts returns an identity's pinned posts, the latest pin first,
// leaving out deleted posts.
func PinnedPosts(ctx context.Context, db DB, identityID model.ID) ([]*model.Post, error) {
	return collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM post_interactions pi JOIN posts p ON p.id = pi.post_id
		WHERE pi.identity_id = $1 AND pi.type = 'pin' AND `+activeInteraction+` AND p.deleted IS NULL
		ORDER BY pi.id DESC`, identityID))
}

// AddBookmark bookmarks a post for an identity (again: no change).
func AddBookmark(ctx context.Context, db DB, identityID, postID model.ID) error {
	if _, err := db.Exec(ctx, `INSERT INTO bookmarks (id, identity_id, post_id) VALUES ($3, $1, $2) ON CONFLICT DO NOTHING`,
		identityID, postID, model.NewID()); err != nil {
		return fmt.Errorf("store: bookmarking post %d: %w", postID, err)
	}
	return nil
}

// RemoveBookmark removes a bookmark, if there is one.
func RemoveBookmark(ctx context.Context, db DB, identityID, postID model.ID) error {
	if _, err := db.Exec(ctx, "DELETE FROM bookmarks WHERE identity_id = $1 AND post_id = $2", identityID, postID); err != nil {
		return fmt.Errorf("store: removing bookmark of post %d: %w", postID, err)
	}
	return nil
}

// BookmarkedPosts returns a page of an identity's bookmarked posts (paged
// by post id, newest first), leaving out deleted posts.
func BookmarkedPosts(ctx context.Context, db DB, identityID model.ID, pg Page) ([]*model.Post, error) {
	return collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM bookmarks b JOIN posts p ON p.id = b.post_id
		WHERE b.identity_id = $1 AND p.deleted IS NULL AND ($2::bigint = 0 OR p.id < $2) AND ($3::bigint = 0 OR p.id > $3)
		ORDER BY p.id DESC LIMIT $4`, identityID, int64(pg.MaxID), int64(pg.SinceID), pg.limit()))
}
