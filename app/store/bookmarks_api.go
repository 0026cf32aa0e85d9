package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// KeyedPost is a post on a page listed by something else's id (a
// bookmark, a like): Key is that id, which pages the list.
type KeyedPost struct {
	*model.Post
	Key model.ID
}

// keyedPosts runs a page query over (from, where) whose rows are a post
// (alias p) and key, newest key first. args are $1..; the bounds and the
// limit follow them.
func keyedPosts(ctx context.Context, db DB, what, from, where, key string, pg Page, args ...any) ([]KeyedPost, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	n := len(args)
	q := fmt.Sprintf(`SELECT %s, %s FROM %s WHERE %s AND ($%d::bigint = 0 OR %s < $%d) AND ($%d::bigint = 0 OR %s > $%d)
		ORDER BY %s %s LIMIT $%d`, postColumns, key, from, where, n+1, key, n+1, n+2, key, n+2, key, order, n+3)
	args = append(args, int64(pg.MaxID), int64(lower), pg.limit())
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []KeyedPost
	for rows.Next() {
		var k int64
		p, err := scanPost(extraRow{rows, []any{&k}})
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, KeyedPost{Post: p, Key: model.ID(k)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// BookmarkPage returns a page of an identity's bookmarks that it may
// still see, the latest bookmark first, paged by the bookmark's id.
func BookmarkPage(ctx context.Context, db DB, identityID model.ID, pg Page) ([]KeyedPost, error) {
	return keyedPosts(ctx, db, fmt.Sprintf("bookmarks of %d", identityID),
		"bookmarks b JOIN posts p ON p.id = b.post_id", "b.identity_id = $1 AND "+VisibleTo("$1"), "b.id", pg, identityID)
}

// FavouritePage returns a page of the posts an identity likes (likes in
// force) that it may still see, the latest like first, paged by the
// like's id.
func FavouritePage(ctx context.Context, db DB, identityID model.ID, pg Page) ([]KeyedPost, error) {
	return keyedPosts(ctx, db, fmt.Sprintf("favourites of %d", identityID),
		"post_interactions pi JOIN posts p ON p.id = pi.post_id",
		"pi.identity_id = $1 AND pi.type = 'like' AND "+activeInteraction+" AND "+VisibleTo("$1"), "pi.id", pg, identityID)
}
