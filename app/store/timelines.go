package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// Timeline event types. Queries spell 'post' out rather than passing it as
// a parameter: the partial indexes are chosen by it, and a generic plan
// for a parameter could not use them.
const (
	EventPost = "post" // a post in the home timeline
)

// FanOutLocal writes the home-timeline events of a post for every local
// recipient in one statement: the author's accepted local followers (when
// followers is set), the local identities it mentions, and the author when
// local. Running it again writes nothing new. It returns how many events
// it wrote.
func FanOutLocal(ctx context.Context, db DB, p *model.Post, followers bool) (int64, error) {
	tag, err := db.Exec(ctx, `INSERT INTO timeline_events (identity_id, type, post_id, subject_id, created)
		SELECT r.id, 'post', $1, $2, now() FROM (
			SELECT f.source_id AS id FROM follows f WHERE $3 AND f.target_id = $2 AND f.state = 'accepted'
			UNION SELECT unnest($4::bigint[])
			UNION SELECT $2
		) r JOIN identities i ON i.id = r.id AND i.local AND i.deleted IS NULL
		WHERE r.id NOT IN (SELECT e.identity_id FROM timeline_events e WHERE e.post_id = $1 AND e.type = 'post')`,
		p.ID, p.AuthorID, followers, int64s(p.Mentions))
	if err != nil {
		return 0, fmt.Errorf("store: fanning out post %d: %w", p.ID, err)
	}
	return tag.RowsAffected(), nil
}

// RemovePostEvents deletes every timeline event of a post.
func RemovePostEvents(ctx context.Context, db DB, postID model.ID) error {
	if _, err := db.Exec(ctx, "DELETE FROM timeline_events WHERE post_id = $1", postID); err != nil {
		return fmt.Errorf("store: removing events of post %d: %w", postID, err)
	}
	return nil
}

// Page selects a slice of a timeline by post id, as Mastodon's API does:
// MaxID (exclusive upper bound) and SinceID (exclusive lower bound) give
// the newest posts in that range; MinID gives the posts just after it
// (the oldest first, then returned newest first). Zero values are unset.
type Page struct {
	MaxID   model.ID
	SinceID model.ID
	MinID   model.ID
	Limit   int // 20 when 0, at most 40
}

// DefaultPageLimit and MaxPageLimit bound Page.Limit.
const (
	DefaultPageLimit = 20
	MaxPageLimit     = 40
)

func (pg Page) limit() int {
	switch {
	case pg.Limit <= 0:
		return DefaultPageLimit
	case pg.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return pg.Limit
}

// hiddenFrom is the condition every timeline applies to its posts (alias
// p) for a reader (the SQL expression reader): deleted posts and posts by
// identities the reader blocks or mutes (while the mute lasts) are left out.
func hiddenFrom(reader string) string {
	return `(p.deleted IS NOT NULL OR EXISTS (SELECT 1 FROM blocks b WHERE b.source_id = ` + reader + `
		AND b.target_id = p.author_id AND b.state IN ('new', 'sent', 'muted') AND (b.expires IS NULL OR b.expires > now())))`
}

// HomeTimeline returns a page of an identity's home timeline, newest first.
func HomeTimeline(ctx context.Context, db DB, identityID model.ID, pg Page) ([]*model.Post, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	posts, err := collectPosts(db.Query(ctx, `SELECT `+postColumns+` FROM timeline_events e JOIN posts p ON p.id = e.post_id
		WHERE e.identity_id = $1 AND e.type = 'post' AND ($2::bigint = 0 OR e.post_id < $2) AND ($3::bigint = 0 OR e.post_id > $3)
		AND NOT `+hiddenFrom("$1")+`
		ORDER BY e.post_id `+order+` LIMIT $4`, identityID, int64(pg.MaxID), int64(lower), pg.limit()))
	if err != nil {
		return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
	}
	if order == "ASC" {
		slices.Reverse(posts)
	}
	return posts, nil
}
