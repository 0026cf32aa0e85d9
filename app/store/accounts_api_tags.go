package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// TagDay is one day of a hashtag's use: public posts and their distinct
// authors, ours and other servers'.
type TagDay struct {
	Day      time.Time // midnight UTC
	Uses     int
	Accounts int
}

// TagInfo is a hashtag as the client API shows it.
type TagInfo struct {
	ID        int64 // hashtags.id, 0 for a tag never seen
	Name      string
	Following bool // by the viewer
	Featuring bool // on the viewer's profile
}

// EnsureHashtag records a hashtag (normalised) if it is new, so that it
// has an id; its uses are counted by the hashtag graph.
func EnsureHashtag(ctx context.Context, db DB, name string) error {
	_, err := db.Exec(ctx, `INSERT INTO hashtags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, NormalizeHashtag(name))
	if err != nil {
		return fmt.Errorf("store: recording hashtag %s: %w", name, err)
	}
	return nil
}

// TagInfos returns what the viewer (0: logged out) should know of each
// named tag (normalised names), in the order given.
func TagInfos(ctx context.Context, db DB, viewer model.ID, names []string) ([]TagInfo, error) {
	rows, err := db.Query(ctx, `SELECT n.name, coalesce(h.id, 0),
			EXISTS (SELECT 1 FROM hashtag_follows f WHERE f.identity_id = $1 AND f.hashtag = n.name),
			EXISTS (SELECT 1 FROM featured_tags t WHERE t.identity_id = $1 AND t.hashtag = n.name)
		FROM unnest($2::text[]) WITH ORDINALITY AS n(name, k) LEFT JOIN hashtags h ON h.name = n.name ORDER BY n.k`,
		viewer, nonNilStrings(names))
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TagInfo, error) {
		var t TagInfo
		err := row.Scan(&t.Name, &t.ID, &t.Following, &t.Featuring)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: tags: %w", err)
	}
	return out, nil
}

// TagHistories returns the last days of use of tags (normalised names),
// today first, days without use included: one range scan of post_hashtags
// per tag, in one query.
func TagHistories(ctx context.Context, db DB, names []string, days int) (map[string][]TagDay, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, -(days - 1))
	rows, err := db.Query(ctx, `SELECT h.hashtag, ((h.post_id >> 16) / 86400000) * 86400 AS day,
			count(*), count(DISTINCT p.author_id)
		FROM post_hashtags h JOIN posts p ON p.id = h.post_id
		WHERE h.hashtag = ANY ($1::text[]) AND h.post_id >= $2 AND p.visibility = 'public' AND p.deleted IS NULL
		GROUP BY 1, 2`, nonNilStrings(names), int64(model.ID(since.UnixMilli()<<16)))
	if err != nil {
		return nil, fmt.Errorf("store: tag history: %w", err)
	}
	defer rows.Close()
	counts := map[string]map[int64]TagDay{}
	for rows.Next() {
		var name string
		var day int64
		var d TagDay
		if err := rows.Scan(&name, &day, &d.Uses, &d.Accounts); err != nil {
			return nil, fmt.Errorf("store: tag history: %w", err)
		}
		if counts[name] == nil {
			counts[name] = map[int64]TagDay{}
		}
		counts[name][day] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: tag history: %w", err)
	}
	out := make(map[string][]TagDay, len(names))
	for _, name := range names {
		list := make([]TagDay, 0, days)
		for k := 0; k < days; k++ {
			day := today.AddDate(0, 0, -k)
			d := counts[name][day.Unix()]
			d.Day = day
			list = append(list, d)
		}
		out[name] = list
	}
	return out, nil
}

// FollowedTag is a followed hashtag with the key its list is paged by.
type FollowedTag struct {
	Key  model.ID
	Name string
}

// FollowedTags returns a page of the tags identity follows, newest
// follow first.
func FollowedTags(ctx context.Context, db DB, identity model.ID, pg Page) ([]FollowedTag, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	rows, err := db.Query(ctx, `SELECT id, hashtag FROM hashtag_follows WHERE identity_id = $1
		AND ($2::bigint = 0 OR id < $2) AND ($3::bigint = 0 OR id > $3) ORDER BY id `+order+` LIMIT $4`,
		identity, int64(pg.MaxID), int64(lower), listLimit(pg))
	if err != nil {
		return nil, fmt.Errorf("store: followed tags of %d: %w", identity, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (FollowedTag, error) {
		var t FollowedTag
		err := row.Scan(&t.Key, &t.Name)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: followed tags of %d: %w", identity, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// FeaturedTag is a hashtag an identity features, with its use by them in
// public and unlisted posts.
type FeaturedTag struct {
	ID       model.ID
	Name     string
	Statuses int
	Last     *time.Time // the newest such post
}

// MaxFeaturedTags is how many hashtags an identity may feature, as in
// Mastodon.
const MaxFeaturedTags = 10

// ErrTooManyFeaturedTags means the identity features MaxFeaturedTags
// already.
var ErrTooManyFeaturedTags = errors.New("too many featured tags")

// FeatureTag features a hashtag on identity's profile (again: the same
// one), up to MaxFeaturedTags.
func FeatureTag(ctx context.Context, db DB, identity model.ID, name string) (model.ID, error) {
	name = NormalizeHashtag(name)
	var id model.ID
	err := pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if err := LockIdentity(ctx, tx, identity); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `SELECT id FROM featured_tags WHERE identity_id = $1 AND hashtag = $2`, identity, name).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM featured_tags WHERE identity_id = $1`, identity).Scan(&n); err != nil {
			return err
		}
		if n >= MaxFeaturedTags {
			return ErrTooManyFeaturedTags
		}
		id = model.NewID()
		_, err = tx.Exec(ctx, `INSERT INTO featured_tags (id, identity_id, hashtag) VALUES ($1, $2, $3)`, id, identity, name)
		return err
	})
	if err != nil && !errors.Is(err, ErrTooManyFeaturedTags) {
		return 0, fmt.Errorf("store: %d featuring %s: %w", identity, name, err)
	}
	return id, err
}

// UnfeatureTag removes a featured tag by id, or by name when id is 0. It
// reports whether there was one.
func UnfeatureTag(ctx context.Context, db DB, identity, id model.ID, name string) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM featured_tags WHERE identity_id = $1 AND (id = $2 OR ($2 = 0 AND hashtag = $3))`,
		identity, id, NormalizeHashtag(name))
	if err != nil {
		return false, fmt.Errorf("store: %d unfeaturing a tag: %w", identity, err)
	}
	return tag.RowsAffected() > 0, nil
}

// FeaturedTags lists the tags identity features, by name, with their use.
func FeaturedTags(ctx context.Context, db DB, identity model.ID) ([]FeaturedTag, error) {
	// The author's posts are scanned (posts_author) rather than the tag's
	// uses, which for a popular tag are everyone's.
	rows, err := db.Query(ctx, `SELECT t.id, t.hashtag, s.n, s.last FROM featured_tags t,
		LATERAL (SELECT count(*) AS n, max(p.published) AS last FROM posts p
			WHERE p.author_id = t.identity_id AND p.hashtags @> ARRAY[t.hashtag] AND p.deleted IS NULL
			AND p.visibility IN ('public', 'unlisted', 'local')) s
		WHERE t.identity_id = $1 ORDER BY t.hashtag`, identity)
	if err != nil {
		return nil, fmt.Errorf("store: featured tags of %d: %w", identity, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (FeaturedTag, error) {
		var t FeaturedTag
		err := row.Scan(&t.ID, &t.Name, &t.Statuses, &t.Last)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: featured tags of %d: %w", identity, err)
	}
	return out, nil
}

// MostUsedTags returns the tags identity used most in its recent posts
// that it does not feature yet, most used first.
func MostUsedTags(ctx context.Context, db DB, identity model.ID, limit int) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT h.hashtag FROM (
			SELECT id FROM posts WHERE author_id = $1 AND deleted IS NULL ORDER BY id DESC LIMIT 1000) p
		JOIN post_hashtags h ON h.post_id = p.id
		WHERE NOT EXISTS (SELECT 1 FROM featured_tags t WHERE t.identity_id = $1 AND t.hashtag = h.hashtag)
		GROUP BY h.hashtag ORDER BY count(*) DESC, h.hashtag LIMIT $2`, identity, limit)
	if err != nil {
		return nil, fmt.Errorf("store: tags used by %d: %w", identity, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: tags used by %d: %w", identity, err)
	}
	return out, nil
}
