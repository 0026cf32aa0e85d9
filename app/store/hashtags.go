package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Hashtag is a tag met in posts, with how many local public posts used it
// in the last day, week and month (as last counted).
type Hashtag struct {
	Name      string
	UsesDay   int
	UsesWeek  int
	UsesMonth int
	Counted   *time.Time
	State     string
}

const hashtagColumns = `name, uses_day, uses_week, uses_month, counted, state`

func hashtags(ctx context.Context, db DB, q string, args ...any) ([]*Hashtag, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: hashtags: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*Hashtag, error) {
		var h Hashtag
		err := row.Scan(&h.Name, &h.UsesDay, &h.UsesWeek, &h.UsesMonth, &h.Counted, &h.State)
		return &h, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: hashtags: %w", err)
	}
	return out, nil
}

// NormalizeHashtag lower-cases a tag and drops a leading '#'.
func NormalizeHashtag(tag string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
}

// HashtagByName returns a hashtag, or nil.
func HashtagByName(ctx context.Context, db DB, name string) (*Hashtag, error) {
	out, err := hashtags(ctx, db, "SELECT "+hashtagColumns+" FROM hashtags WHERE name = $1", NormalizeHashtag(name))
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return out[0], nil
}

// HashtagNameByID returns the name of the hashtag with Stator id id ("" if
// gone).
func HashtagNameByID(ctx context.Context, db DB, id int64) (string, error) {
	var name string
	err := db.QueryRow(ctx, "SELECT name FROM hashtags WHERE id = $1", id).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// CountHashtag recounts a hashtag's uses by local public posts (not
// deleted) over the last day, week and month.
func CountHashtag(ctx context.Context, db DB, name string) error {
	now := time.Now()
	_, err := db.Exec(ctx, `UPDATE hashtags SET counted = now(),
		(uses_day, uses_week, uses_month) = (SELECT
			count(*) FILTER (WHERE h.post_id > $2),
			count(*) FILTER (WHERE h.post_id > $3),
			count(*)
			FROM post_hashtags h JOIN posts p ON p.id = h.post_id
			WHERE h.hashtag = $1 AND h.post_id > $4 AND p.local AND p.visibility = 'public' AND p.deleted IS NULL)
		WHERE name = $1`, name, int64(model.IDAt(now.Add(-24*time.Hour))), int64(model.IDAt(now.Add(-7*24*time.Hour))),
		int64(model.IDAt(now.Add(-30*24*time.Hour))))
	if err != nil {
		return fmt.Errorf("store: counting hashtag %s: %w", name, err)
	}
	return nil
}

// NewestHashtagUse returns the id of the newest post using a tag (0: none).
func NewestHashtagUse(ctx context.Context, db DB, name string) (model.ID, error) {
	var id int64
	err := db.QueryRow(ctx, "SELECT coalesce(max(post_id), 0) FROM post_hashtags WHERE hashtag = $1", name).Scan(&id)
	return model.ID(id), err
}

// TrendingHashtag is a tag and how many distinct authors used it lately.
type TrendingHashtag struct {
	Name    string
	Authors int
}

// TrendingHashtags returns the tags most distinct authors used in public
// posts (ours and other servers') since since, most first.
func TrendingHashtags(ctx context.Context, db DB, since time.Time, limit int) ([]TrendingHashtag, error) {
	if limit <= 0 || limit > MaxPageLimit {
		limit = DefaultPageLimit
	}
	rows, err := db.Query(ctx, `SELECT h.hashtag, count(DISTINCT p.author_id) AS authors
		FROM post_hashtags h JOIN posts p ON p.id = h.post_id
		WHERE h.post_id > $1 AND p.visibility = 'public' AND p.deleted IS NULL
		GROUP BY h.hashtag ORDER BY authors DESC, h.hashtag LIMIT $2`, int64(model.IDAt(since)), limit)
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

// FollowHashtag makes a local identity follow a tag (again: no change).
func FollowHashtag(ctx context.Context, db DB, identityID model.ID, tag string) error {
	_, err := db.Exec(ctx, `INSERT INTO hashtag_follows (identity_id, hashtag) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		identityID, NormalizeHashtag(tag))
	if err != nil {
		return fmt.Errorf("store: following hashtag %s: %w", tag, err)
	}
	return nil
}

// UnfollowHashtag stops a follow of a tag.
func UnfollowHashtag(ctx context.Context, db DB, identityID model.ID, tag string) error {
	_, err := db.Exec(ctx, `DELETE FROM hashtag_follows WHERE identity_id = $1 AND hashtag = $2`, identityID, NormalizeHashtag(tag))
	if err != nil {
		return fmt.Errorf("store: unfollowing hashtag %s: %w", tag, err)
	}
	return nil
}

// FollowedHashtags lists the tags an identity follows, by name.
func FollowedHashtags(ctx context.Context, db DB, identityID model.ID) ([]string, error) {
	return uris(ctx, db, `SELECT hashtag FROM hashtag_follows WHERE identity_id = $1 ORDER BY hashtag`, identityID)
}
