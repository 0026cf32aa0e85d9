package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Stamps let the client API keep rendered posts and accounts in memory:
// each names the row versions a rendering was made from (PostgreSQL's
// xmin, which every update of a row changes), so that a page of a
// timeline costs one query for ids, stamps and the reader's own marks,
// and only posts that changed since are loaded and rendered again.

// PostStamp is what a cached rendering of a post depends on, with what
// one reader did to it.
type PostStamp struct {
	PostID model.ID
	Post   int64  // xmin of the post row (content, edits, counters)
	Poll   int64  // xmin of its poll row, 0 without a poll
	Media  string // xmins of its attachments, in order; "" without
	Card   string // its preview card and when that was fetched; "" without (preview_cards.go)
	Author model.ID
	// AuthorV is the xmin of the author's identity row (profile and the
	// counters kept on it).
	AuthorV int64

	State ViewerState
	Votes []int // the reader's poll choices
	Muted bool  // the reader muted the post's thread

	// Quoting: the post quotes another (rendered afresh each time: what
	// it shows of the quoted post depends on the reader). The rest is
	// its quote_approval and quotes_count for the reader.
	Quoting                         bool
	QuotesCount                     int
	Policy                          QuotePolicy
	ReaderFollows, FollowedByAuthor bool
}

// StampedEntry is one entry of a timeline page with its stamp: a post, or
// a boost of it (BoostID, BoostedBy and the booster's row version).
type StampedEntry struct {
	Key       model.ID // what the page is ordered and paged by
	BoostID   model.ID
	BoostedBy model.ID
	BoosterV  int64
	// Filters stamps the reader's filters (the same on every entry of a
	// page): their count and row versions, "0:" when there are none.
	Filters string
	PostStamp
}

// filtersStamp is StampedEntry.Filters of reader $1: any filter, keyword
// or status added, changed or removed changes it.
const filtersStamp = `(SELECT count(*)::text || ':' || coalesce(sum(v.x)::text, '') FROM (
		SELECT f.xmin::text::bigint AS x FROM filters f WHERE f.identity_id = $1
		UNION ALL SELECT k.xmin::text::bigint FROM filter_keywords k JOIN filters f ON f.id = k.filter_id WHERE f.identity_id = $1
		UNION ALL SELECT s.xmin::text::bigint FROM filter_statuses s JOIN filters f ON f.id = s.filter_id WHERE f.identity_id = $1) v)`

// stampColumns are the columns of a PostStamp with reader $1 (0: nobody's
// marks), for p, a row of a post with the columns id, xv (its xmin as a
// number), author_id, context and uri; a, its author's identity; and pl,
// its poll (LEFT JOINed). What a reader may have none of at all
// (bookmarks, muted threads) is asked once per query first.
const stampColumns = `p.id, p.xv, coalesce(pl.xmin::text::bigint, 0),
	coalesce((SELECT string_agg(m.xmin::text, ',' ORDER BY m.position, m.id) FROM media_attachments m WHERE m.post_id = p.id), ''),
	p.author_id, a.xmin::text::bigint,
	array_to_string(ARRAY(SELECT pi.type FROM post_interactions pi WHERE pi.identity_id = $1 AND pi.post_id = p.id
		AND pi.type IN ('like', 'boost', 'pin') AND pi.state IN ('new', 'fanned_out', 'received')
		UNION ALL SELECT 'bookmark' FROM bookmarks bm WHERE bm.identity_id = $1 AND bm.post_id = p.id
			AND EXISTS (SELECT 1 FROM bookmarks bm0 WHERE bm0.identity_id = $1)), ','),
	CASE WHEN pl.post_id IS NULL THEN ''
		ELSE array_to_string(ARRAY(SELECT v.choice FROM poll_votes v WHERE v.identity_id = $1 AND v.post_id = p.id ORDER BY v.choice), ',') END,
	(EXISTS (SELECT 1 FROM thread_mutes tm0 WHERE tm0.identity_id = $1)
		AND EXISTS (SELECT 1 FROM thread_mutes tm WHERE tm.identity_id = $1 AND tm.thread = ` + threadOf + `)),
	EXISTS (SELECT 1 FROM quotes q WHERE q.post_id = p.id),
	(SELECT count(*) FROM quotes c JOIN posts cp ON cp.id = c.post_id AND cp.deleted IS NULL
		WHERE c.quoted_post_id = p.id AND c.state = 'accepted'),
	coalesce(array_to_string(qp.automatic, ','), ''), coalesce(array_to_string(qp.manual, ','), ''),
	coalesce($1::bigint <> 0 AND 'followers' = ANY (qp.automatic || qp.manual) AND EXISTS (SELECT 1 FROM follows f
		WHERE f.source_id = $1 AND f.target_id = p.author_id AND f.state = 'accepted'), false),
	coalesce($1::bigint <> 0 AND 'following' = ANY (qp.automatic || qp.manual) AND EXISTS (SELECT 1 FROM follows f
		WHERE f.source_id = p.author_id AND f.target_id = $1 AND f.state = 'accepted'), false),
	` + cardStampColumn

// stampJoins join a post row p to what stampColumns read besides it.
const stampJoins = `JOIN identities a ON a.id = p.author_id LEFT JOIN polls pl ON pl.post_id = p.id
	LEFT JOIN quote_policies qp ON qp.post_id = p.id`

// scanStamp scans stampColumns (after dest, the columns before them).
func scanStamp(rows pgx.Rows, s *PostStamp, dest ...any) error {
	// Every destination is of a type pgx scans without reflection (no
	// named types such as model.ID, no arrays): the reader's marks and
	// votes come as comma-separated text. A page scans 40 rows of these.
	var postID, author int64
	var marks, votes, automatic, manual string
	var follows, followed bool
	var quotes int64
	all := make([]any, 0, len(dest)+16)
	all = append(all, dest...)
	all = append(all, &postID, &s.Post, &s.Poll, &s.Media, &author, &s.AuthorV, &marks, &votes, &s.Muted,
		&s.Quoting, &quotes, &automatic, &manual, &follows, &followed, &s.Card)
	if err := rows.Scan(all...); err != nil {
		return err
	}
	s.PostID, s.Author, s.QuotesCount = model.ID(postID), model.ID(author), int(quotes)
	s.Policy = QuotePolicy{Automatic: splitList(automatic), Manual: splitList(manual)}
	s.ReaderFollows, s.FollowedByAuthor = follows, followed
	if marks != "" {
		for m := range strings.SplitSeq(marks, ",") {
			s.State = s.State.with(m)
		}
	}
	if votes != "" {
		for v := range strings.SplitSeq(votes, ",") {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("poll choice %q: %w", v, err)
			}
			s.Votes = append(s.Votes, n)
		}
	}
	return nil
}

// HomeStamps returns a page of an identity's home timeline as HomeEntries
// does, as stamps with the identity's marks instead of the posts: one
// query, for renderings kept in memory.
func HomeStamps(ctx context.Context, db DB, identityID model.ID, pg Page) ([]StampedEntry, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	q := homeStampsSQL(order)
	rows, err := db.Query(ctx, q, identityID, int64(pg.MaxID), int64(lower), pg.limit())
	if err != nil {
		return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []StampedEntry
	for rows.Next() {
		var e StampedEntry
		var key, boost, booster int64
		err := scanStamp(rows, &e.PostStamp, &key, &boost, &booster, &e.BoosterV, &e.Filters)
		e.Key, e.BoostID, e.BoostedBy = model.ID(key), model.ID(boost), model.ID(booster)
		if err != nil {
			return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// PageStamps are the stamps of a page of posts for a reader: PostStamps.
type PageStamps struct {
	Posts      map[model.ID]PostStamp // by post id; gone posts are left out
	Identities map[model.ID]int64     // row versions of the identities asked for
	Filters    string                 // the reader's filters, as StampedEntry.Filters
}

// PostStamps returns the stamps of posts with reader's marks (0: none),
// the row versions of identities (boosters), and the reader's filters
// stamp, in one round trip.
func PostStamps(ctx context.Context, db DB, reader model.ID, postIDs, identityIDs []model.ID) (*PageStamps, error) {
	out := &PageStamps{Posts: make(map[model.ID]PostStamp, len(postIDs)), Identities: map[model.ID]int64{}}
	b, ok := db.(batcher)
	if !ok {
		return nil, fmt.Errorf("store: post stamps need a database that takes batches")
	}
	batch := &pgx.Batch{}
	batch.Queue(`SELECT `+stampColumns+`
		FROM (SELECT id, xmin::text::bigint AS xv, author_id, context, uri FROM posts WHERE id = ANY ($2::bigint[])) p
		`+stampJoins, reader, int64s(postIDs)).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var s PostStamp
			if err := scanStamp(rows, &s); err != nil {
				return err
			}
			out.Posts[s.PostID] = s
		}
		return rows.Err()
	})
	batch.Queue(`SELECT id, xmin::text::bigint FROM identities WHERE id = ANY ($1::bigint[])`, int64s(identityIDs)).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id model.ID
				var v int64
				if err := rows.Scan(&id, &v); err != nil {
					return err
				}
				out.Identities[id] = v
			}
			return rows.Err()
		})
	batch.Queue(`SELECT `+filtersStamp, reader).QueryRow(func(row pgx.Row) error {
		return row.Scan(&out.Filters)
	})
	if err := b.SendBatch(ctx, batch).Close(); err != nil {
		return nil, fmt.Errorf("store: post stamps: %w", err)
	}
	return out, nil
}

// homeStampsSQL is HomeStamps's query, ordered newest (DESC) or oldest
// (ASC) first: the page is picked from the timeline with what it needs of
// each post, so that the post is read once.
func homeStampsSQL(order string) string {
	return `WITH page AS (
		SELECT ` + homeKey + ` AS key, coalesce(e.boost_id, 0) AS boost_id,
			CASE WHEN e.boost_id IS NULL THEN 0 ELSE e.subject_id END AS booster,
			p.id, p.xmin::text::bigint AS xv, p.author_id, p.context, p.uri
		` + homePage(order) + `)
	SELECT p.key, p.boost_id, p.booster, coalesce(b.xmin::text::bigint, 0), ` + filtersStamp + `, ` + stampColumns + `
	FROM page p ` + stampJoins + `
	LEFT JOIN identities b ON p.booster <> 0 AND b.id = p.booster
	ORDER BY p.key ` + order
}

// splitList splits comma-separated text; "" is an empty list.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
