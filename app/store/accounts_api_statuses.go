package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// AccountEntriesOptions filter an account's statuses as the client API's
// GET /api/v1/accounts/:id/statuses does.
type AccountEntriesOptions struct {
	// ExcludeReplies leaves out replies to others (replies to the
	// account's own posts, threads, stay).
	ExcludeReplies bool
	// ExcludeBoosts leaves out what the account boosted.
	ExcludeBoosts bool
	// OnlyMedia keeps the account's posts with attachments (and no
	// boosts, as in Mastodon).
	OnlyMedia bool
	// Tagged keeps the account's posts using a hashtag (and no boosts).
	Tagged string
}

// AccountEntries returns a page of an account's statuses as reader sees
// them, newest first: its posts and, unless left out, the posts it
// boosted (HomeEntry.BoostID set, paged by the boost's id like the home
// timeline). Each half is an index scan cut to the page before the two
// are merged.
func AccountEntries(ctx context.Context, db DB, author, reader model.ID, opts AccountEntriesOptions, pg Page) ([]HomeEntry, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	own := "p.author_id = $1 AND " + VisibleTo("$2")
	if opts.ExcludeReplies {
		own += ` AND (p.in_reply_to_uri = '' OR EXISTS (SELECT 1 FROM posts rp WHERE rp.id = p.in_reply_to_id AND rp.author_id = p.author_id))`
	}
	if opts.OnlyMedia {
		own += ` AND EXISTS (SELECT 1 FROM media_attachments ma WHERE ma.post_id = p.id)`
	}
	// $6 is always named, so that every variant takes the same arguments.
	own += ` AND ($6::text = '' OR EXISTS (SELECT 1 FROM post_hashtags h WHERE h.hashtag = $6 AND h.post_id = p.id))`
	bounds := func(key string) string {
		return `($3::bigint = 0 OR ` + key + ` < $3) AND ($4::bigint = 0 OR ` + key + ` > $4)`
	}
	q := `(SELECT ` + postColumns + `, p.id AS page_key, 0::bigint AS boost_id, 0::bigint AS booster FROM posts p
		WHERE ` + own + ` AND ` + bounds("p.id") + ` ORDER BY p.id ` + order + ` LIMIT $5)`
	if !opts.ExcludeBoosts && !opts.OnlyMedia && opts.Tagged == "" {
		q += ` UNION ALL (SELECT ` + postColumns + `, pi.id, pi.id, pi.identity_id
			FROM post_interactions pi JOIN posts p ON p.id = pi.post_id
			WHERE pi.identity_id = $1 AND pi.type = 'boost' AND pi.state IN ('new', 'fanned_out', 'received')
			AND ` + VisibleTo("$2") + ` AND ` + bounds("pi.id") + ` ORDER BY pi.id ` + order + ` LIMIT $5)`
	}
	q = `SELECT * FROM (` + q + `) e ORDER BY page_key ` + order + ` LIMIT $5`
	rows, err := db.Query(ctx, q, author, reader, int64(pg.MaxID), int64(lower), pg.limit(), NormalizeHashtag(opts.Tagged))
	if err != nil {
		return nil, fmt.Errorf("store: statuses of %d: %w", author, err)
	}
	defer rows.Close()
	var out []HomeEntry
	for rows.Next() {
		var e HomeEntry
		var key, boostID, by int64
		e.Post, err = scanPost(extraRow{rows, []any{&key, &boostID, &by}})
		if err != nil {
			return nil, fmt.Errorf("store: statuses of %d: %w", author, err)
		}
		e.BoostID, e.BoostedBy = model.ID(boostID), model.ID(by)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: statuses of %d: %w", author, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}
