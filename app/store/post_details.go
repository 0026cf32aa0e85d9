package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// PostDetails is what rendering a page of posts for one reader needs
// beyond the posts themselves.
type PostDetails struct {
	Counts        map[model.ID]model.PostCounts
	States        map[model.ID]ViewerState
	ParentAuthors map[model.ID]model.ID // post -> author of the post it replies to
	Attachments   map[model.ID][]*model.Attachment
	Polls         map[model.ID]*model.Poll
	Votes         map[model.ID][]int
	Emoji         map[model.ID][]*model.Emoji
	Identities    map[model.ID]*model.Identity
	Stats         map[model.ID]AccountStats
	Muted         map[model.ID]bool // posts of threads the reader muted
	// Quotes: what posts quote, their quotes and policy (quotes_details.go).
	Quotes map[model.ID]QuoteDetail
	// Shown preview cards (preview_cards.go); nil when none.
	Cards map[model.ID]*model.PreviewCard
}

// identityDisplayColumns are identityColumns without the keys (PEM text
// of several kilobytes an identity): what rendering an account needs.
var identityDisplayColumns = strings.Replace(identityColumns, "public_key, private_key", "'', ''", 1)

func init() {
	if identityDisplayColumns == identityColumns {
		panic("store: identityDisplayColumns no longer leaves out the keys")
	}
}

// batcher is a database that takes a batch of queries in one round trip
// (a pool, a connection, a transaction).
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// LoadPostDetails loads, for reader (0: logged out), the counters, the
// reader's interactions, parents' authors, attachments, polls and votes,
// emoji of posts, and the identities people with their counters: all in
// one round trip when db takes batches, which is what keeps a page of the
// home timeline cheap.
func LoadPostDetails(ctx context.Context, db DB, reader model.ID, postIDs, people []model.ID) (*PostDetails, error) {
	d := &PostDetails{
		Counts: map[model.ID]model.PostCounts{}, States: map[model.ID]ViewerState{}, ParentAuthors: map[model.ID]model.ID{},
		Attachments: map[model.ID][]*model.Attachment{}, Polls: map[model.ID]*model.Poll{}, Votes: map[model.ID][]int{},
		Emoji: map[model.ID][]*model.Emoji{}, Identities: map[model.ID]*model.Identity{}, Stats: map[model.ID]AccountStats{},
		Muted: map[model.ID]bool{},
	}
	ids, who := int64s(postIDs), int64s(people)
	type query struct {
		sql  string
		args []any
		scan func(pgx.Rows) error
	}
	queries := []query{
		{`SELECT p.id, p.likes_count, p.boosts_count, p.replies_count, p.reactions_count,
			coalesce((SELECT q.author_id FROM posts q WHERE q.id = p.in_reply_to_id), 0)
			FROM posts p WHERE p.id = ANY ($1::bigint[])`, []any{ids}, func(rows pgx.Rows) error {
			var id, parent model.ID
			var c model.PostCounts
			if err := rows.Scan(&id, &c.Likes, &c.Boosts, &c.Replies, &c.Reactions, &parent); err != nil {
				return err
			}
			d.Counts[id] = c
			if parent != 0 {
				d.ParentAuthors[id] = parent
			}
			return nil
		}},
		{`SELECT ` + attachmentColumns + ` FROM media_attachments a
			WHERE a.post_id = ANY ($1::bigint[]) ORDER BY a.post_id, a.position, a.id`, []any{ids}, func(rows pgx.Rows) error {
			a, err := scanAttachment(rows)
			if err == nil {
				d.Attachments[a.PostID] = append(d.Attachments[a.PostID], a)
			}
			return err
		}},
		{`SELECT ` + pollColumns + ` FROM polls pl WHERE pl.post_id = ANY ($1::bigint[])`, []any{ids}, func(rows pgx.Rows) error {
			p, err := scanPoll(rows)
			if err == nil {
				d.Polls[p.PostID] = p
			}
			return err
		}},
		{`SELECT pe.post_id, ` + emojiColumns + ` FROM post_emoji pe JOIN emoji em ON em.id = pe.emoji_id
			WHERE pe.post_id = ANY ($1::bigint[]) ORDER BY pe.post_id, em.shortcode`, []any{ids}, func(rows pgx.Rows) error {
			var id model.ID
			var e model.Emoji
			if err := rows.Scan(&id, &e.ID, &e.Shortcode, &e.Domain, &e.ImageURL, &e.MediaType, &e.VisibleInPicker, &e.URI,
				&e.Created, &e.Updated); err != nil {
				return err
			}
			d.Emoji[id] = append(d.Emoji[id], &e)
			return nil
		}},
		{"SELECT " + identityDisplayColumns + " FROM identities WHERE id = ANY ($1::bigint[])", []any{who}, func(rows pgx.Rows) error {
			i, err := scanIdentity(rows)
			if err == nil {
				d.Identities[i.ID] = i
			}
			return err
		}},
		{accountStatsSQL, []any{who}, func(rows pgx.Rows) error {
			var id model.ID
			var s AccountStats
			if err := rows.Scan(&id, &s.Followers, &s.Following, &s.Statuses, &s.LastStatus); err != nil {
				return err
			}
			d.Stats[id] = s
			return nil
		}},
	}
	quoteSQL, quoteArgs, quoteScan := quoteDetailsQuery(d, reader, ids)
	queries = append(queries, query{quoteSQL, quoteArgs, quoteScan})
	if reader != 0 {
		queries = append(queries, query{viewerStatesSQL, []any{reader, ids}, func(rows pgx.Rows) error {
			var id model.ID
			var typ string
			if err := rows.Scan(&id, &typ); err != nil {
				return err
			}
			d.States[id] = d.States[id].with(typ)
			return nil
		}}, query{`SELECT post_id, choice FROM poll_votes WHERE identity_id = $1 AND post_id = ANY ($2::bigint[])
			ORDER BY post_id, choice`, []any{reader, ids}, func(rows pgx.Rows) error {
			var id model.ID
			var c int
			if err := rows.Scan(&id, &c); err != nil {
				return err
			}
			d.Votes[id] = append(d.Votes[id], c)
			return nil
		}}, query{`SELECT p.id FROM posts p JOIN thread_mutes tm ON tm.identity_id = $1 AND tm.thread = ` + threadOf + `
			WHERE p.id = ANY ($2::bigint[])`, []any{reader, ids}, func(rows pgx.Rows) error {
			var id model.ID
			if err := rows.Scan(&id); err != nil {
				return err
			}
			d.Muted[id] = true
			return nil
		}})
	}
	queries = append(queries, query{postCardsSQL, []any{ids}, d.scanPostCard})
	if b, ok := db.(batcher); ok {
		batch := &pgx.Batch{}
		for _, q := range queries {
			scan := q.scan
			batch.Queue(q.sql, q.args...).Query(func(rows pgx.Rows) error {
				for rows.Next() {
					if err := scan(rows); err != nil {
						return err
					}
				}
				return rows.Err()
			})
		}
		if err := b.SendBatch(ctx, batch).Close(); err != nil {
			return nil, fmt.Errorf("store: post details: %w", err)
		}
		return d, nil
	}
	for _, q := range queries {
		rows, err := db.Query(ctx, q.sql, q.args...)
		if err != nil {
			return nil, fmt.Errorf("store: post details: %w", err)
		}
		for rows.Next() {
			if err := q.scan(rows); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: post details: %w", err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: post details: %w", err)
		}
	}
	return d, nil
}
