package store

import (
	"context"
	"fmt"
	"time"

	"pukeko/app/model"
)

// AnnualFigures are what an annual report is made from: an identity's
// statuses of one year (its posts and boosts, as Mastodon counts
// statuses), follows both ways begun that year, its hashtags and the
// posts others interacted with most.
type AnnualFigures struct {
	// Standalone posts: not replies, or replies to itself (threads);
	// replies to others; polls among all posts; boosts made.
	Standalone, Replies, Polls, Boosts int
	// Per month (index 1 to 12, UTC): statuses written (posts and boosts),
	// accounts it began to follow, accounts that began to follow it (the
	// follows still in force).
	Statuses, Following, Followers [13]int
	// Hashtags used more than once, most used first (at most 40).
	Hashtags []HashtagCount
	// The public or unlisted posts boosted, liked and replied to the most
	// (three different posts; 0 when none has any).
	TopBoosted, TopLiked, TopReplied model.ID
}

// HashtagCount is a hashtag and how many posts used it.
type HashtagCount struct {
	Name  string
	Count int
}

// maxReportHashtags is how many hashtags a report lists, as Mastodon's.
const maxReportHashtags = 40

// yearBounds are the first instant of year and of the next (UTC), and the
// post ids made in between: ids are snowflakes of their time, so a year's
// posts are an index range.
func yearBounds(year int) (start, end time.Time, lo, hi int64) {
	start = time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	end = start.AddDate(1, 0, 0)
	return start, end, start.UnixMilli() << 16, end.UnixMilli() << 16
}

// yearPosts selects an identity's ($1) posts of the year ($2 <= id < $3)
// that are not deleted.
const yearPosts = `p.author_id = $1 AND p.id >= $2 AND p.id < $3 AND p.deleted IS NULL`

// yearBoosts selects an identity's ($1) boosts in force made in the year
// ($2 <= created < $3); yearBoostsAfterPosts the same with the year at $4
// and $5, in queries that take the post id bounds too.
const (
	yearBoosts           = `pi.identity_id = $1 AND pi.type = 'boost' AND ` + activeInteraction + ` AND pi.created >= $2 AND pi.created < $3`
	yearBoostsAfterPosts = `pi.identity_id = $1 AND pi.type = 'boost' AND ` + activeInteraction + ` AND pi.created >= $4 AND pi.created < $5`
)

// AnnualReportEligible reports whether an identity wrote or boosted
// anything in year: a report of nothing is not offered.
func AnnualReportEligible(ctx context.Context, db DB, identityID model.ID, year int) (bool, error) {
	start, end, lo, hi := yearBounds(year)
	var ok bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM posts p WHERE `+yearPosts+`)
		OR EXISTS (SELECT 1 FROM post_interactions pi WHERE `+yearBoostsAfterPosts+`)`,
		identityID, lo, hi, start, end).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: whether %d may have a %d report: %w", identityID, year, err)
	}
	return ok, nil
}

// LoadAnnualFigures computes an identity's figures of year.
func LoadAnnualFigures(ctx context.Context, db DB, identityID model.ID, year int) (*AnnualFigures, error) {
	start, end, lo, hi := yearBounds(year)
	f := &AnnualFigures{}
	wrap := func(what string, err error) error {
		return fmt.Errorf("store: %s of %d in %d: %w", what, identityID, year, err)
	}
	err := db.QueryRow(ctx, `SELECT
			count(*) FILTER (WHERE p.in_reply_to_uri = '' OR par.author_id = p.author_id),
			count(*) FILTER (WHERE p.in_reply_to_uri <> '' AND par.author_id IS DISTINCT FROM p.author_id),
			count(pl.post_id)
		FROM posts p LEFT JOIN posts par ON par.id = p.in_reply_to_id LEFT JOIN polls pl ON pl.post_id = p.id
		WHERE `+yearPosts, identityID, lo, hi).Scan(&f.Standalone, &f.Replies, &f.Polls)
	if err != nil {
		return nil, wrap("post counts", err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM post_interactions pi WHERE `+yearBoosts,
		identityID, start, end).Scan(&f.Boosts); err != nil {
		return nil, wrap("boosts", err)
	}
	// Posts by the month of their id (the time they were written here),
	// boosts by the month they were made.
	if err := monthly(ctx, db, &f.Statuses, `SELECT m, count(*) FROM (
			SELECT extract(month FROM to_timestamp((p.id >> 16) / 1000.0) AT TIME ZONE 'UTC')::int AS m FROM posts p WHERE `+yearPosts+`
			UNION ALL
			SELECT extract(month FROM pi.created AT TIME ZONE 'UTC')::int FROM post_interactions pi WHERE `+yearBoostsAfterPosts+`
		) s GROUP BY m`, identityID, lo, hi, start, end); err != nil {
		return nil, wrap("statuses per month", err)
	}
	for _, side := range []struct {
		col string
		out *[13]int
	}{{"source_id", &f.Following}, {"target_id", &f.Followers}} {
		if err := monthly(ctx, db, side.out, `SELECT extract(month FROM f.created AT TIME ZONE 'UTC')::int, count(*)
			FROM follows f WHERE f.`+side.col+` = $1 AND f.state = 'accepted' AND f.created >= $2 AND f.created < $3
			GROUP BY 1`, identityID, start, end); err != nil {
			return nil, wrap("follows per month", err)
		}
	}
	if f.Hashtags, err = yearHashtags(ctx, db, identityID, lo, hi); err != nil {
		return nil, wrap("hashtags", err)
	}
	// Three different posts, as Mastodon picks them: the most liked is not
	// the most boosted, the most replied to neither.
	for _, top := range []struct {
		counter string
		out     *model.ID
	}{{"boosts_count", &f.TopBoosted}, {"likes_count", &f.TopLiked}, {"replies_count", &f.TopReplied}} {
		if *top.out, err = topPost(ctx, db, identityID, lo, hi, top.counter, f.TopBoosted, f.TopLiked); err != nil {
			return nil, wrap("top posts", err)
		}
	}
	return f, nil
}

// monthly reads rows of (month, count) into out.
func monthly(ctx context.Context, db DB, out *[13]int, sql string, args ...any) error {
	rows, err := db.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var m, n int
		if err := rows.Scan(&m, &n); err != nil {
			return err
		}
		if m >= 1 && m <= 12 {
			out[m] += n
		}
	}
	return rows.Err()
}

// yearHashtags counts the hashtags of an identity's posts of a year.
func yearHashtags(ctx context.Context, db DB, identityID model.ID, lo, hi int64) ([]HashtagCount, error) {
	rows, err := db.Query(ctx, `SELECT h, count(*) FROM posts p, unnest(p.hashtags) h WHERE `+yearPosts+`
		GROUP BY h HAVING count(*) > 1 ORDER BY count(*) DESC, h LIMIT $4`, identityID, lo, hi, maxReportHashtags)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []HashtagCount
	for rows.Next() {
		var h HashtagCount
		if err := rows.Scan(&h.Name, &h.Count); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// topPost returns the identity's public or unlisted post of the year with
// the highest counter (above 0), other than the excluded ones; 0 when none.
func topPost(ctx context.Context, db DB, identityID model.ID, lo, hi int64, counter string, exclude ...model.ID) (model.ID, error) {
	rows, err := db.Query(ctx, `SELECT p.id FROM posts p WHERE `+yearPosts+`
		AND p.visibility IN ('public', 'unlisted', 'local') AND p.`+counter+` > 0 AND NOT p.id = ANY ($4::bigint[])
		ORDER BY p.`+counter+` DESC, p.id DESC LIMIT 1`, identityID, lo, hi, int64s(exclude))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var id model.ID
	for rows.Next() {
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
	}
	return id, rows.Err()
}
