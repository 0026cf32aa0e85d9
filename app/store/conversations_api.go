package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Conversation is a thread of direct posts as one identity has it: its
// newest direct post the identity may see, whether that is unread (by
// someone else and newer than where the identity read up to).
type Conversation struct {
	ID     model.ID // 0 until it is first listed (AssignConversationIDs)
	Thread string
	Last   *model.Post
	Unread bool
}

// conversations lists the conversations of identity $1 (newest last post
// first, order DESC, or oldest first with ASC), hidden ones only when
// hidden is set, with extra conditions on the thread (t.thread) and last
// post (t.last_id); args continue from $2.
func conversations(ctx context.Context, db DB, identityID model.ID, hidden bool, extra, order string, limit int, args ...any) ([]*Conversation, error) {
	if !hidden {
		extra = "t.last_id > coalesce(c.hidden_up_to, 0) AND " + extra
	}
	all := append([]any{identityID}, args...)
	all = append(all, limit)
	rows, err := db.Query(ctx, `WITH d AS (
			SELECT p.id, `+threadOf+` AS thread FROM posts p
			WHERE p.visibility = 'direct' AND (p.author_id = $1 OR p.mentions @> ARRAY[$1::bigint]) AND `+VisibleTo("$1")+`
		), t AS (
			SELECT DISTINCT ON (thread) thread, id AS last_id FROM d ORDER BY thread, id DESC
		)
		SELECT `+postColumns+`, t.thread, coalesce(c.id, 0), coalesce(c.read_up_to, 0)
		FROM t JOIN posts p ON p.id = t.last_id
		LEFT JOIN conversations c ON c.identity_id = $1 AND c.thread = t.thread
		WHERE `+extra+`
		ORDER BY t.last_id `+order+` LIMIT $`+strconv.Itoa(len(all)), all...)
	if err != nil {
		return nil, fmt.Errorf("store: conversations of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []*Conversation
	for rows.Next() {
		var c Conversation
		var id, readUpTo int64
		c.Last, err = scanPost(extraRow{rows, []any{&c.Thread, &id, &readUpTo}})
		if err != nil {
			return nil, fmt.Errorf("store: conversations of %d: %w", identityID, err)
		}
		c.ID = model.ID(id)
		c.Unread = c.Last.AuthorID != identityID && int64(c.Last.ID) > readUpTo
		out = append(out, &c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: conversations of %d: %w", identityID, err)
	}
	return out, nil
}

// ConversationPage returns a page of an identity's direct conversations,
// the one with the newest post first, paged by the id of that post, with
// ids assigned.
func ConversationPage(ctx context.Context, db DB, identityID model.ID, pg Page) ([]*Conversation, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	out, err := conversations(ctx, db, identityID, false, `($2::bigint = 0 OR t.last_id < $2) AND ($3::bigint = 0 OR t.last_id > $3)`,
		order, pg.limit(), int64(pg.MaxID), int64(lower))
	if err != nil {
		return nil, err
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, assignConversationIDs(ctx, db, identityID, out)
}

// ConversationByID returns one of an identity's conversations, hidden
// ones too (so that they may be read or hidden again), or nil.
func ConversationByID(ctx context.Context, db DB, identityID, id model.ID) (*Conversation, error) {
	var thread string
	err := db.QueryRow(ctx, `SELECT thread FROM conversations WHERE id = $1 AND identity_id = $2`, id, identityID).Scan(&thread)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("store: conversation %d: %w", id, err)
	}
	out, err := conversations(ctx, db, identityID, true, `t.thread = $2`, "DESC", 1, thread)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		// Its posts are gone: the row alone.
		return &Conversation{ID: id, Thread: thread}, nil
	}
	out[0].ID = id
	return out[0], nil
}

// assignConversationIDs gives the conversations listed for the first
// time their ids, in one statement.
func assignConversationIDs(ctx context.Context, db DB, identityID model.ID, list []*Conversation) error {
	var ids []int64
	var threads []string
	for _, c := range list {
		if c.ID == 0 {
			ids = append(ids, int64(model.NewID()))
			threads = append(threads, c.Thread)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := db.Query(ctx, `WITH ins AS (
			INSERT INTO conversations (id, identity_id, thread) SELECT x.id, $1, x.thread FROM unnest($2::bigint[], $3::text[]) AS x(id, thread)
			ON CONFLICT (identity_id, thread) DO NOTHING RETURNING thread, id
		)
		SELECT thread, id FROM ins UNION ALL SELECT thread, id FROM conversations WHERE identity_id = $1 AND thread = ANY ($3::text[])`,
		identityID, ids, threads)
	if err != nil {
		return fmt.Errorf("store: conversation ids of %d: %w", identityID, err)
	}
	defer rows.Close()
	byThread := map[string]model.ID{}
	for rows.Next() {
		var thread string
		var id int64
		if err := rows.Scan(&thread, &id); err != nil {
			return fmt.Errorf("store: conversation ids of %d: %w", identityID, err)
		}
		byThread[thread] = model.ID(id)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: conversation ids of %d: %w", identityID, err)
	}
	for _, c := range list {
		if c.ID == 0 {
			c.ID = byThread[c.Thread]
		}
	}
	return nil
}

// MarkConversation sets how far an identity read a conversation and, when
// hide is set, removes it from the list up to upTo (the id of its newest
// post).
func MarkConversation(ctx context.Context, db DB, identityID, id, upTo model.ID, hide bool) error {
	_, err := db.Exec(ctx, `UPDATE conversations SET read_up_to = greatest(read_up_to, $3),
		hidden_up_to = CASE WHEN $4 THEN greatest(hidden_up_to, $3) ELSE hidden_up_to END
		WHERE id = $1 AND identity_id = $2`, id, identityID, int64(upTo), hide)
	if err != nil {
		return fmt.Errorf("store: marking conversation %d: %w", id, err)
	}
	return nil
}
