package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const postColumns = `p.id, p.author_id, p.local, p.uri, p.url, p.object_type, p.visibility, p.content, coalesce(p.source, ''),
	p.summary, p.sensitive, p.language, p.title, p.in_reply_to_uri, coalesce(p.in_reply_to_id, 0), p.context, p.mentions, p.hashtags,
	p.published, p.edited, p.deleted, p.created, p.state`

func scanPost(row pgx.Row) (*model.Post, error) {
	var p model.Post
	var mentions []int64
	err := row.Scan(&p.ID, &p.AuthorID, &p.Local, &p.URI, &p.URL, &p.ObjectType, &p.Visibility, &p.Content, &p.Source,
		&p.Summary, &p.Sensitive, &p.Language, &p.Title, &p.InReplyToURI, &p.InReplyToID, &p.Context, &mentions, &p.Hashtags,
		&p.Published, &p.Edited, &p.Deleted, &p.Created, &p.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.Mentions = idsOf(mentions)
	return &p, nil
}

func collectPosts(rows pgx.Rows, err error) ([]*model.Post, error) {
	if err != nil {
		return nil, fmt.Errorf("store: posts: %w", err)
	}
	defer rows.Close()
	var out []*model.Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("store: posts: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: posts: %w", err)
	}
	return out, nil
}

func idsOf(v []int64) []model.ID {
	out := make([]model.ID, len(v))
	for k, id := range v {
		out[k] = model.ID(id)
	}
	return out
}

func int64s(v []model.ID) []int64 {
	out := make([]int64, len(v))
	for k, id := range v {
		out[k] = int64(id)
	}
	return out
}

func nonNilStrings(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// InsertPost stores a post in state (the post graph's first state), unless
// a post with its URI exists: then nothing changes and inserted is false,
// so a remote post delivered twice, or concurrently, is one row.
func InsertPost(ctx context.Context, db DB, p *model.Post, state string) (inserted bool, err error) {
	if p.ID == 0 {
		p.ID = model.NewID()
	}
	if p.Published.IsZero() {
		p.Published = time.Now()
	}
	var source, replyID any
	if p.Local {
		source = p.Source
	}
	if p.InReplyToID != 0 {
		replyID = p.InReplyToID
	}
	tag, err := db.Exec(ctx, `INSERT INTO posts (id, author_id, local, uri, url, object_type, visibility, content, source,
		summary, sensitive, language, title, in_reply_to_uri, in_reply_to_id, mentions, hashtags, published, edited, state, context)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
		ON CONFLICT (uri) DO NOTHING`,
		p.ID, p.AuthorID, p.Local, p.URI, p.URL, p.ObjectType, p.Visibility, p.Content, source,
		p.Summary, p.Sensitive, p.Language, p.Title, p.InReplyToURI, replyID, int64s(p.Mentions), nonNilStrings(p.Hashtags),
		p.Published, p.Edited, state, p.Context)
	if err != nil {
		return false, fmt.Errorf("store: creating post %s: %w", p.URI, err)
	}
	p.State = state
	return tag.RowsAffected() == 1, nil
}

func onePost(ctx context.Context, db DB, what, where string, args ...any) (*model.Post, error) {
	p, err := scanPost(db.QueryRow(ctx, "SELECT "+postColumns+" FROM posts p WHERE "+where, args...))
	if err != nil {
		return nil, fmt.Errorf("store: post by %s: %w", what, err)
	}
	return p, nil
}

// PostByID returns a post, or nil.
func PostByID(ctx context.Context, db DB, id model.ID) (*model.Post, error) {
	return onePost(ctx, db, "id", "p.id = $1", id)
}

// PostByURI returns the post with object URI uri, or nil.
func PostByURI(ctx context.Context, db DB, uri string) (*model.Post, error) {
	return onePost(ctx, db, "uri", "p.uri = $1", uri)
}

// PostForUpdate returns a post locked until the end of the transaction tx,
// or nil.
func PostForUpdate(ctx context.Context, tx DB, id model.ID) (*model.Post, error) {
	return onePost(ctx, tx, "id", "p.id = $1 FOR UPDATE", id)
}

// SavePostEdit records the version of old an edit replaces in post_edits
// and writes the edited fields of p (content, source, summary, sensitive,
// language, title, mentions, hashtags, edited). Run it in a transaction.
func SavePostEdit(ctx context.Context, db DB, old, p *model.Post) error {
	if p.Edited == nil {
		now := time.Now()
		p.Edited = &now
	}
	if _, err := db.Exec(ctx, `INSERT INTO post_edits (id, post_id, edited, content, summary, sensitive)
		VALUES ($1, $2, $3, $4, $5, $6)`, model.NewID(), old.ID, *p.Edited, old.Content, old.Summary, old.Sensitive); err != nil {
		return fmt.Errorf("store: recording edit of post %d: %w", old.ID, err)
	}
	var source any
	if p.Local {
		source = p.Source
	}
	_, err := db.Exec(ctx, `UPDATE posts SET content = $2, source = $3, summary = $4, sensitive = $5, language = $6,
		title = $7, mentions = $8, hashtags = $9, edited = $10 WHERE id = $1`,
		p.ID, p.Content, source, p.Summary, p.Sensitive, p.Language, p.Title, int64s(p.Mentions), nonNilStrings(p.Hashtags), *p.Edited)
	if err != nil {
		return fmt.Errorf("store: editing post %d: %w", p.ID, err)
	}
	return nil
}

// PostEdits returns the versions edits of a post replaced, oldest first.
func PostEdits(ctx context.Context, db DB, postID model.ID) ([]*model.PostEdit, error) {
	rows, err := db.Query(ctx, `SELECT id, post_id, edited, content, summary, sensitive FROM post_edits
		WHERE post_id = $1 ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("store: edits of post %d: %w", postID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.PostEdit, error) {
		var e model.PostEdit
		err := row.Scan(&e.ID, &e.PostID, &e.Edited, &e.Content, &e.Summary, &e.Sensitive)
		return &e, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: edits of post %d: %w", postID, err)
	}
	return out, nil
}

// MarkPostDeleted sets a post's deletion time, reporting false when it was
// already deleted or does not exist.
func MarkPostDeleted(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, "UPDATE posts SET deleted = now() WHERE id = $1 AND deleted IS NULL", id)
	if err != nil {
		return false, fmt.Errorf("store: deleting post %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// BlankDeletedPost drops what a deleted post said, once its deletion has
// been fanned out; the row stays as a tombstone for its URI.
func BlankDeletedPost(ctx context.Context, db DB, id model.ID) error {
	_, err := db.Exec(ctx, `UPDATE posts SET content = '', source = CASE WHEN local THEN '' END, summary = '', title = ''
		WHERE id = $1 AND deleted IS NOT NULL`, id)
	if err != nil {
		return fmt.Errorf("store: blanking post %d: %w", id, err)
	}
	return nil
}

// LinkReplies sets in_reply_to_id on the known replies to a post that
// arrived before it.
func LinkReplies(ctx context.Context, db DB, p *model.Post) error {
	_, err := db.Exec(ctx, `UPDATE posts SET in_reply_to_id = $1 WHERE in_reply_to_uri = $2 AND in_reply_to_id IS NULL
		AND in_reply_to_uri <> ''`, p.ID, p.URI)
	if err != nil {
		return fmt.Errorf("store: linking replies to %s: %w", p.URI, err)
	}
	return nil
}

// outboxWhere selects an author's posts anyone may see in the outbox.
const outboxWhere = `p.author_id = $1 AND p.local AND p.deleted IS NULL AND p.visibility IN ('public', 'unlisted')`

// OutboxCount counts an author's public and unlisted posts.
func OutboxCount(ctx context.Context, db DB, authorID model.ID) (int, error) {
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM posts p WHERE "+outboxWhere, authorID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: outbox count of %d: %w", authorID, err)
	}
	return n, nil
}

// OutboxPosts pages through an author's public and unlisted posts, newest
// first.
func OutboxPosts(ctx context.Context, db DB, authorID model.ID, limit, offset int) ([]*model.Post, error) {
	return collectPosts(db.Query(ctx, "SELECT "+postColumns+" FROM posts p WHERE "+outboxWhere+
		" ORDER BY p.id DESC LIMIT $2 OFFSET $3", authorID, limit, offset))
}

// PostInboxes returns the distinct inboxes (shared inboxes preferred) a
// post by authorID goes to on other servers: those of its accepted remote
// followers when followers is set, and of the remote identities mentioned.
// One entry per inbox URL, so a server with a shared inbox gets one
// delivery however many of its users are in the audience.
func PostInboxes(ctx context.Context, db DB, authorID model.ID, followers bool, mentions []model.ID) ([]string, error) {
	rows, err := db.Query(ctx, `SELECT DISTINCT CASE WHEN i.shared_inbox_uri <> '' THEN i.shared_inbox_uri ELSE i.inbox_uri END AS inbox
		FROM identities i
		WHERE NOT i.local AND i.deleted IS NULL AND (i.inbox_uri <> '' OR i.shared_inbox_uri <> '') AND (
			($2 AND i.id IN (SELECT f.source_id FROM follows f WHERE f.target_id = $1 AND f.state = 'accepted'))
			OR i.id = ANY ($3))
		ORDER BY inbox`, authorID, followers, int64s(mentions))
	if err != nil {
		return nil, fmt.Errorf("store: inboxes for posts of %d: %w", authorID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: inboxes for posts of %d: %w", authorID, err)
	}
	return out, nil
}

// PublicReplyURIs pages through the URIs of the public and unlisted
// replies to a post, oldest first: its ActivityPub replies collection.
func PublicReplyURIs(ctx context.Context, db DB, postID model.ID, limit, offset int) ([]string, error) {
	return uris(ctx, db, `SELECT uri FROM posts WHERE in_reply_to_id = $1 AND deleted IS NULL
		AND visibility IN ('public', 'unlisted') ORDER BY id LIMIT $2 OFFSET $3`, postID, limit, offset)
}

// LinkToParent sets in_reply_to_id of a reply whose parent is now known;
// it reports whether the reply is linked.
func LinkToParent(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE posts r SET in_reply_to_id = p.id FROM posts p
		WHERE r.id = $1 AND r.in_reply_to_id IS NULL AND p.uri = r.in_reply_to_uri`, id)
	if err != nil {
		return false, fmt.Errorf("store: linking post %d to its parent: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}
