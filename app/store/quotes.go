package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Quote is a quote post: the post that quotes (PostID, by AuthorID) and
// the post it quotes, with the authorization that lets it show. State is a
// state of the quote graph (app/social).
type Quote struct {
	ID             model.ID
	PostID         model.ID
	AuthorID       model.ID
	QuotedURI      string
	QuotedPostID   model.ID // 0 while the quoted post is unknown here
	QuotedAuthorID model.ID
	ApprovalURI    string // the QuoteAuthorization, once accepted
	RequestURI     string // the QuoteRequest that asked for it
	State          string
	Created        time.Time
}

const quoteColumns = `q.id, q.post_id, q.author_id, q.quoted_uri, coalesce(q.quoted_post_id, 0), coalesce(q.quoted_author_id, 0),
	coalesce(q.approval_uri, ''), coalesce(q.request_uri, ''), q.state, q.created`

func scanQuote(row pgx.Row) (*Quote, error) {
	var q Quote
	err := row.Scan(&q.ID, &q.PostID, &q.AuthorID, &q.QuotedURI, &q.QuotedPostID, &q.QuotedAuthorID,
		&q.ApprovalURI, &q.RequestURI, &q.State, &q.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &q, err
}

// quoteNull is v, or SQL NULL when it is the zero value.
func quoteNull[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// InsertQuote stores the quote of a post in state, unless that post has
// one already: then nothing changes and inserted is false.
func InsertQuote(ctx context.Context, db DB, q *Quote, state string) (inserted bool, err error) {
	if q.ID == 0 {
		q.ID = model.NewID()
	}
	tag, err := db.Exec(ctx, `INSERT INTO quotes (id, post_id, author_id, quoted_uri, quoted_post_id, quoted_author_id,
		approval_uri, request_uri, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (post_id) DO NOTHING`,
		q.ID, q.PostID, q.AuthorID, q.QuotedURI, quoteNull(q.QuotedPostID), quoteNull(q.QuotedAuthorID),
		quoteNull(q.ApprovalURI), quoteNull(q.RequestURI), state)
	if err != nil {
		return false, fmt.Errorf("store: creating the quote of post %d: %w", q.PostID, err)
	}
	q.State = state
	return tag.RowsAffected() == 1, nil
}

// UpdateQuote saves what a quote names (the quoted post, the
// authorization, the request); its state moves with the quote graph.
func UpdateQuote(ctx context.Context, db DB, q *Quote) error {
	_, err := db.Exec(ctx, `UPDATE quotes SET quoted_uri = $2, quoted_post_id = $3, quoted_author_id = $4,
		approval_uri = $5, request_uri = $6, updated = now() WHERE id = $1`,
		q.ID, q.QuotedURI, quoteNull(q.QuotedPostID), quoteNull(q.QuotedAuthorID), quoteNull(q.ApprovalURI), quoteNull(q.RequestURI))
	if err != nil {
		return fmt.Errorf("store: saving quote %d: %w", q.ID, err)
	}
	return nil
}

// DeleteQuote forgets the quote of a post (an edit took it out).
func DeleteQuote(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, `DELETE FROM quotes WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: deleting quote %d: %w", id, err)
	}
	return nil
}

func oneQuote(ctx context.Context, db DB, what, where string, args ...any) (*Quote, error) {
	q, err := scanQuote(db.QueryRow(ctx, "SELECT "+quoteColumns+" FROM quotes q WHERE "+where, args...))
	if err != nil {
		return nil, fmt.Errorf("store: quote by %s: %w", what, err)
	}
	return q, nil
}

// QuoteByID returns a quote, nil when there is none.
func QuoteByID(ctx context.Context, db DB, id model.ID) (*Quote, error) {
	return oneQuote(ctx, db, "id", "q.id = $1", id)
}

// QuoteOfPost returns the quote a post makes, nil when it quotes nothing.
func QuoteOfPost(ctx context.Context, db DB, postID model.ID) (*Quote, error) {
	return oneQuote(ctx, db, "post", "q.post_id = $1", postID)
}

// QuoteByApprovalURI returns the quote a QuoteAuthorization approves.
func QuoteByApprovalURI(ctx context.Context, db DB, uri string) (*Quote, error) {
	return oneQuote(ctx, db, "authorization", "q.approval_uri = $1", uri)
}

// QuoteByRequestURI returns the quote a QuoteRequest asked for.
func QuoteByRequestURI(ctx context.Context, db DB, uri string) (*Quote, error) {
	return oneQuote(ctx, db, "request", "q.request_uri = $1", uri)
}

// QuotePolicy is who may quote a post: lists of 'public', 'followers',
// 'following' and 'unsupported_policy', as Mastodon's QuoteApproval names
// them. Empty lists (and no row): nobody but the author.
type QuotePolicy struct {
	Automatic, Manual []string
}

// QuotePolicyOf returns the quote policy of a post.
func QuotePolicyOf(ctx context.Context, db DB, postID model.ID) (QuotePolicy, error) {
	var p QuotePolicy
	err := db.QueryRow(ctx, `SELECT automatic, manual FROM quote_policies WHERE post_id = $1`, postID).Scan(&p.Automatic, &p.Manual)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("store: quote policy of post %d: %w", postID, err)
	}
	return p, nil
}

// SaveQuotePolicy sets the quote policy of a post, reporting whether it
// changed.
func SaveQuotePolicy(ctx context.Context, db DB, postID model.ID, p QuotePolicy) (bool, error) {
	tag, err := db.Exec(ctx, `INSERT INTO quote_policies (post_id, automatic, manual) VALUES ($1, $2, $3)
		ON CONFLICT (post_id) DO UPDATE SET automatic = EXCLUDED.automatic, manual = EXCLUDED.manual
		WHERE (quote_policies.automatic, quote_policies.manual) IS DISTINCT FROM (EXCLUDED.automatic, EXCLUDED.manual)`,
		postID, nonNilStrings(p.Automatic), nonNilStrings(p.Manual))
	if err != nil {
		return false, fmt.Errorf("store: saving the quote policy of post %d: %w", postID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReplaceQuotePolicy sets the quote policy of a post, or forgets it when
// it allows nobody (no row means that).
func ReplaceQuotePolicy(ctx context.Context, db DB, postID model.ID, p QuotePolicy) error {
	if len(p.Automatic)+len(p.Manual) > 0 {
		_, err := SaveQuotePolicy(ctx, db, postID, p)
		return err
	}
	if _, err := db.Exec(ctx, `DELETE FROM quote_policies WHERE post_id = $1`, postID); err != nil {
		return fmt.Errorf("store: clearing the quote policy of post %d: %w", postID, err)
	}
	return nil
}

// QuotingPosts returns a page of the posts that quote post quoted with an
// accepted quote, as reader (0: logged out) may see them, newest first.
func QuotingPosts(ctx context.Context, db DB, quoted, reader model.ID, pg Page) ([]*model.Post, error) {
	return pagePosts(ctx, db, "quotes of a post", "quotes q JOIN posts p ON p.id = q.post_id",
		"q.quoted_post_id = $1 AND q.state = 'accepted' AND "+VisibleTo("$2"), "q.post_id", pg, quoted, reader)
}

// LocalQuotesOf returns the accepted quotes of a post that our own
// identities made.
func LocalQuotesOf(ctx context.Context, db DB, quoted model.ID) ([]*Quote, error) {
	rows, err := db.Query(ctx, `SELECT `+quoteColumns+` FROM quotes q JOIN posts p ON p.id = q.post_id
		WHERE q.quoted_post_id = $1 AND q.state = 'accepted' AND p.local AND p.deleted IS NULL`, quoted)
	if err != nil {
		return nil, fmt.Errorf("store: local quotes of post %d: %w", quoted, err)
	}
	defer rows.Close()
	var out []*Quote
	for rows.Next() {
		q, err := scanQuote(rows)
		if err != nil {
			return nil, fmt.Errorf("store: local quotes of post %d: %w", quoted, err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// QuotedPosts loads the posts quotes show, with whether reader (0:
// logged out) may see each: absent and deleted posts are left out.
func QuotedPosts(ctx context.Context, db DB, reader model.ID, ids []model.ID) (visible []*model.Post, hidden map[model.ID]bool, err error) {
	rows, err := db.Query(ctx, `SELECT `+postColumns+`, `+VisibleTo("$2")+` FROM posts p
		WHERE p.id = ANY ($1::bigint[]) AND p.deleted IS NULL`, int64s(ids), reader)
	if err != nil {
		return nil, nil, fmt.Errorf("store: quoted posts: %w", err)
	}
	defer rows.Close()
	hidden = map[model.ID]bool{}
	for rows.Next() {
		var ok bool
		p, err := scanPost(extraRow{rows, []any{&ok}})
		if err != nil {
			return nil, nil, fmt.Errorf("store: quoted posts: %w", err)
		}
		if ok {
			visible = append(visible, p)
		} else {
			hidden[p.ID] = true
		}
	}
	return visible, hidden, rows.Err()
}
