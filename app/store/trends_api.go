package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// TrendingHashtagsPage is TrendingHashtags with an offset.
func TrendingHashtagsPage(ctx context.Context, db DB, since time.Time, limit, offset int) ([]TrendingHashtag, error) {
	rows, err := db.Query(ctx, `SELECT h.hashtag, count(DISTINCT p.author_id) AS authors
		FROM post_hashtags h JOIN posts p ON p.id = h.post_id
		WHERE h.post_id > $1 AND p.visibility = 'public' AND p.deleted IS NULL
		GROUP BY h.hashtag ORDER BY authors DESC, h.hashtag LIMIT $2 OFFSET $3`, int64(model.IDAt(since)), limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("store: trending hashtags: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TrendingHashtag, error) {
		var t TrendingHashtag
		err := row.Scan(&t.Name, &t.Authors)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: trending hashtags: %w", err)
	}
	return out, nil
}

// TrendingPosts returns the public posts published since since that were
// liked, boosted and replied to the most (boosts and replies weigh more),
// as reader sees them.
func TrendingPosts(ctx context.Context, db DB, reader model.ID, since time.Time, limit, offset int) ([]*model.Post, error) {
	posts, err := collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.id > $1 AND p.visibility = 'public' AND p.deleted IS NULL
		AND p.likes_count + p.boosts_count + p.replies_count > 0 AND `+VisibleTo("$2")+`
		ORDER BY p.likes_count + 2 * p.boosts_count + 2 * p.replies_count DESC, p.id DESC LIMIT $3 OFFSET $4`,
		int64(model.IDAt(since)), reader, limit, max(offset, 0)))
	if err != nil {
		return nil, fmt.Errorf("store: trending posts: %w", err)
	}
	return posts, nil
}
