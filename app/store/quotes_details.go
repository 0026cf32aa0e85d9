package store

import (
	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// QuoteDetail is what rendering a post needs about quotes: what it quotes
// (QuoteState "" when nothing), how many accepted quotes it has, its quote
// policy, and the follows between its author and the reader that the
// policy may name.
type QuoteDetail struct {
	QuoteState   string
	QuotedPostID model.ID
	Count        int
	Policy       QuotePolicy
	// ReaderFollows: the reader follows the author; FollowedByAuthor: the
	// author follows the reader (only looked up when the policy names
	// followers or following).
	ReaderFollows, FollowedByAuthor bool
}

// quoteDetailsSQL gives the QuoteDetail of posts ($1) for reader ($2).
const quoteDetailsSQL = `SELECT p.id, coalesce(q.state, ''), coalesce(q.quoted_post_id, 0),
	(SELECT count(*) FROM quotes c JOIN posts cp ON cp.id = c.post_id AND cp.deleted IS NULL
		WHERE c.quoted_post_id = p.id AND c.state = 'accepted'),
	coalesce(qp.automatic, '{}'), coalesce(qp.manual, '{}'),
	$2::bigint <> 0 AND 'followers' = ANY (qp.automatic || qp.manual) AND EXISTS (SELECT 1 FROM follows f
		WHERE f.source_id = $2 AND f.target_id = p.author_id AND f.state = 'accepted'),
	$2::bigint <> 0 AND 'following' = ANY (qp.automatic || qp.manual) AND EXISTS (SELECT 1 FROM follows f
		WHERE f.source_id = p.author_id AND f.target_id = $2 AND f.state = 'accepted')
	FROM posts p LEFT JOIN quotes q ON q.post_id = p.id LEFT JOIN quote_policies qp ON qp.post_id = p.id
	WHERE p.id = ANY ($1::bigint[])`

// quoteDetailsQuery is the query of LoadPostDetails that fills d.Quotes.
func quoteDetailsQuery(d *PostDetails, reader model.ID, ids []int64) (string, []any, func(pgx.Rows) error) {
	d.Quotes = map[model.ID]QuoteDetail{}
	return quoteDetailsSQL, []any{ids, reader}, func(rows pgx.Rows) error {
		var id model.ID
		var q QuoteDetail
		var follows, followed *bool
		if err := rows.Scan(&id, &q.QuoteState, &q.QuotedPostID, &q.Count, &q.Policy.Automatic, &q.Policy.Manual,
			&follows, &followed); err != nil {
			return err
		}
		q.ReaderFollows = follows != nil && *follows
		q.FollowedByAuthor = followed != nil && *followed
		d.Quotes[id] = q
		return nil
	}
}
