package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// AccountSearch is a search of accounts by prefix for the client API.
type AccountSearch struct {
	Query     string   // username or display name prefix; "user@dom" narrows the domain by prefix
	Reader    model.ID // who searches (0: logged out)
	Following bool     // only identities Reader follows
	Limit     int
	Offset    int
}

// SearchAccountsPage is SearchAccounts with the client API's options:
// identities Reader blocks or mutes, or that block Reader, are left out.
func SearchAccountsPage(ctx context.Context, db DB, s AccountSearch) ([]*model.Identity, error) {
	prefix := strings.TrimPrefix(strings.TrimSpace(s.Query), "@")
	if prefix == "" {
		return nil, nil
	}
	if s.Limit <= 0 || s.Limit > MaxPageLimit {
		s.Limit = DefaultPageLimit
	}
	user, domain, _ := strings.Cut(prefix, "@")
	rows, err := db.Query(ctx, `SELECT `+identityColumns+` FROM identities
		WHERE deleted IS NULL AND username IS NOT NULL
		AND (lower(username) LIKE $1 OR ($3 = '' AND lower(name) LIKE $1))
		AND ($3 = '' OR lower(domain) LIKE $4)
		AND (NOT $6 OR EXISTS (SELECT 1 FROM follows f WHERE f.source_id = $5 AND f.target_id = identities.id AND f.state = 'accepted'))
		AND NOT EXISTS (SELECT 1 FROM blocks b WHERE $5::bigint <> 0 AND ((b.source_id = $5 AND b.target_id = identities.id
			AND b.state IN ('new', 'sent', 'muted') AND (b.expires IS NULL OR b.expires > now()))
			OR (b.source_id = identities.id AND b.target_id = $5 AND NOT b.mute AND b.state IN ('new', 'sent', 'received'))))
		ORDER BY lower(username) = lower($2) DESC, local DESC, lower(username), domain
		LIMIT $7 OFFSET $8`, likePrefix(user), user, domain, likePrefix(domain), s.Reader, s.Following, s.Limit, max(s.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("store: account search: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Identity, error) { return scanIdentity(row) })
	if err != nil {
		return nil, fmt.Errorf("store: account search: %w", err)
	}
	return out, nil
}

// SearchHashtagsPage is SearchHashtags with an offset.
func SearchHashtagsPage(ctx context.Context, db DB, prefix string, limit, offset int) ([]*Hashtag, error) {
	prefix = strings.TrimPrefix(strings.TrimSpace(prefix), "#")
	if prefix == "" {
		return nil, nil
	}
	if limit <= 0 || limit > MaxPageLimit {
		limit = DefaultPageLimit
	}
	return hashtags(ctx, db, "SELECT "+hashtagColumns+` FROM hashtags WHERE name LIKE $1
		ORDER BY name = $2 DESC, uses_week DESC, name LIMIT $3 OFFSET $4`,
		likePrefix(prefix), strings.ToLower(prefix), limit, max(offset, 0))
}

// PostSearch is a search of posts by words for the client API.
type PostSearch struct {
	Query    string
	Reader   model.ID
	AuthorID model.ID // only this author's posts (0: anyone's)
	Offset   int
}

// SearchPostsPage is SearchPosts with an author and an offset.
func SearchPostsPage(ctx context.Context, db DB, s PostSearch, pg Page) ([]*model.Post, error) {
	if strings.TrimSpace(s.Query) == "" {
		return nil, nil
	}
	lower := pg.SinceID
	if pg.MinID != 0 {
		lower = pg.MinID
	}
	posts, err := collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.search @@ websearch_to_tsquery('simple', $1) AND `+VisibleTo("$2")+`
		AND ($3::bigint = 0 OR p.author_id = $3)
		AND ($4::bigint = 0 OR p.id < $4) AND ($5::bigint = 0 OR p.id > $5)
		ORDER BY p.id DESC LIMIT $6 OFFSET $7`,
		strings.ToLower(s.Query), s.Reader, s.AuthorID, int64(pg.MaxID), int64(lower), pg.limit(), max(s.Offset, 0)))
	if err != nil {
		return nil, fmt.Errorf("store: post search: %w", err)
	}
	return posts, nil
}
