package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// SearchPosts returns a page of the posts matching query (words, all of
// them, in the content warning, title or text; websearch syntax: "quoted
// phrases", or, -not) that reader may see, newest first. The posts_search
// GIN index finds them.
func SearchPosts(ctx context.Context, db DB, reader model.ID, query string, pg Page) ([]*model.Post, error) {
	if strings.TrimSpace(query) == "" {
		return nil, nil
	}
	return pagePosts(ctx, db, "post search", "posts p",
		"p.search @@ websearch_to_tsquery('simple', $1) AND "+VisibleTo("$2"), "p.id", pg, strings.ToLower(query), reader)
}

// likePrefix escapes s for a LIKE pattern matching what starts with it.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(strings.ToLower(s)) + "%"
}

// SearchAccounts returns live identities whose username or display name
// starts with prefix (case-insensitively; "user@dom" also narrows the
// domain by prefix): exact usernames first, then local ones, then by
// username. The identities_*_prefix indexes serve it.
func SearchAccounts(ctx context.Context, db DB, prefix string, limit int) ([]*model.Identity, error) {
	prefix = strings.TrimPrefix(strings.TrimSpace(prefix), "@")
	if prefix == "" {
		return nil, nil
	}
	if limit <= 0 || limit > MaxPageLimit {
		limit = DefaultPageLimit
	}
	user, domain, _ := strings.Cut(prefix, "@")
	rows, err := db.Query(ctx, `SELECT `+identityColumns+` FROM identities
		WHERE deleted IS NULL AND username IS NOT NULL
		AND (lower(username) LIKE $1 OR ($3 = '' AND lower(name) LIKE $1))
		AND ($3 = '' OR lower(domain) LIKE $4)
		ORDER BY lower(username) = lower($2) DESC, local DESC, lower(username), domain
		LIMIT $5`, likePrefix(user), user, domain, likePrefix(domain), limit)
	if err != nil {
		return nil, fmt.Errorf("store: account search: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Identity, error) { return scanIdentity(row) })
	if err != nil {
		return nil, fmt.Errorf("store: account search: %w", err)
	}
	return out, nil
}

// SearchHashtags returns hashtags starting with prefix ('#' optional),
// most used this week first.
func SearchHashtags(ctx context.Context, db DB, prefix string, limit int) ([]*Hashtag, error) {
	prefix = strings.TrimPrefix(strings.TrimSpace(prefix), "#")
	if prefix == "" {
		return nil, nil
	}
	if limit <= 0 || limit > MaxPageLimit {
		limit = DefaultPageLimit
	}
	return hashtags(ctx, db, "SELECT "+hashtagColumns+" FROM hashtags WHERE name LIKE $1 ORDER BY uses_week DESC, name LIMIT $2",
		likePrefix(prefix), limit)
}
