package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

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
//
// A follow counts from when the client API reports it as following
// (social.Following): accepted, or just made to an unlocked local
// account, which the follow graph accepts within moments; a post made in
// that moment reaches the follower all the same.
//
// A follow limited to languages takes only posts in one of them, compared
// by base language ("pt-BR" takes "pt" and "pt-PT"), and posts that say no
// language. Public (and local-only) posts also reach the local identities
// following one of their hashtags, in the same statement.
func FanOutLocal(ctx context.Context, db DB, p *model.Post, followers bool) (int64, error) {
	tagged := p.Visibility == model.VisibilityPublic || p.Visibility == model.VisibilityLocal
	tag, err := db.Exec(ctx, `INSERT INTO timeline_events (identity_id, type, post_id, subject_id, created)
		SELECT r.id, 'post', $1, $2, now() FROM (
			SELECT f.source_id AS id FROM follows f WHERE $3 AND f.target_id = $2 AND `+followCounts+`
				AND (f.languages IS NULL OR cardinality(f.languages) = 0 OR $7 = ''
					OR EXISTS (SELECT 1 FROM unnest(f.languages) fl WHERE lower(split_part(fl, '-', 1)) = $7))
			UNION SELECT unnest($4::bigint[])
			UNION SELECT $2
			UNION SELECT h.identity_id FROM hashtag_follows h WHERE $5 AND h.hashtag = ANY ($6::text[])
		) r JOIN identities i ON i.id = r.id AND i.local AND i.deleted IS NULL
		WHERE r.id NOT IN (SELECT e.identity_id FROM timeline_events e WHERE e.post_id = $1 AND e.type = 'post' AND e.boost_id IS NULL)`,
		p.ID, p.AuthorID, followers, int64s(p.Mentions), tagged, nonNilStrings(p.Hashtags), languageOf(p.Language))
	if err != nil {
		return 0, fmt.Errorf("store: fanning out post %d: %w", p.ID, err)
	}
	return tag.RowsAffected(), nil
}

// followCounts holds for a follow f of $2 that counts as following
// (social.Following).
const followCounts = `(f.state = 'accepted' OR (f.state = 'unrequested'
	AND EXISTS (SELECT 1 FROM identities ft WHERE ft.id = $2 AND ft.local AND NOT ft.locked)))`

// languageOf is the base language of a post's tag ("pt" of "pt-BR"), as
// follows list languages; "" when unknown, which every follower takes.
func languageOf(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(tag), "-")
	return base
}

// FanOutBoost writes the home-timeline rows of a boost in one statement:
// for the booster's accepted local followers that take its boosts
// (follows.boosts), and the booster when local, unless they block or mute
// the booster or may not see the post. A row is a 'post' row of the
// boosted post with boost_id (the interaction's id, its place in the
// timeline) and subject_id the booster; the author's own post stays in
// the timelines it was in. Running it again writes nothing new.
func FanOutBoost(ctx context.Context, db DB, boostID, boosterID, postID model.ID) (int64, error) {
	tag, err := db.Exec(ctx, `INSERT INTO timeline_events (identity_id, type, post_id, subject_id, boost_id, created)
		SELECT r.id, 'post', $1, $2, $3, now() FROM (
			SELECT f.source_id AS id FROM follows f WHERE f.target_id = $2 AND `+followCounts+` AND f.boosts
			UNION SELECT $2
		) r JOIN identities i ON i.id = r.id AND i.local AND i.deleted IS NULL
		JOIN posts p ON p.id = $1
		WHERE r.id NOT IN (SELECT e.identity_id FROM timeline_events e WHERE e.boost_id = $3)
		AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.source_id = r.id AND b.target_id = $2
			AND b.state IN ('new', 'sent', 'muted') AND (b.expires IS NULL OR b.expires > now()))
		AND `+VisibleTo("r.id"),
		postID, boosterID, boostID)
	if err != nil {
		return 0, fmt.Errorf("store: fanning out boost %d: %w", boostID, err)
	}
	return tag.RowsAffected(), nil
}

// RemoveBoostEvents deletes the home-timeline rows of a boost.
func RemoveBoostEvents(ctx context.Context, db DB, boostID model.ID) error {
	if _, err := db.Exec(ctx, "DELETE FROM timeline_events WHERE boost_id = $1", boostID); err != nil {
		return fmt.Errorf("store: removing events of boost %d: %w", boostID, err)
	}
	return nil
}

// NotifyStatusFollowers writes 'status' notifications of a new post for the local
// followers that asked to be notified of its author's posts (follows.notify)
// and may see it, in one statement. Replies to others are left out, as
// Mastodon does; running it again writes nothing new.
func NotifyStatusFollowers(ctx context.Context, db DB, p *model.Post) error {
	if p.Visibility == model.VisibilityDirect {
		return nil
	}
	_, err := db.Exec(ctx, `INSERT INTO timeline_events (id, identity_id, type, post_id, subject_id)
		SELECT nextval('timeline_events_id_seq'), f.source_id, 'status', p.id, p.author_id
		FROM follows f JOIN identities i ON i.id = f.source_id AND i.local AND i.deleted IS NULL
		JOIN posts p ON p.id = $1
		WHERE f.target_id = $2 AND f.state = 'accepted' AND f.notify AND f.source_id <> $2
		AND (p.in_reply_to_uri = '' OR EXISTS (SELECT 1 FROM posts rp WHERE rp.id = p.in_reply_to_id AND rp.author_id = p.author_id))
		AND `+VisibleTo("f.source_id")+` AND NOT `+notificationsSilenced("f.source_id", "$2")+`
		AND NOT EXISTS (SELECT 1 FROM timeline_events e WHERE e.identity_id = f.source_id AND e.type <> 'post'
			AND e.type = 'status' AND e.post_id = $1)`, p.ID, p.AuthorID)
	if err != nil {
		return fmt.Errorf("store: status notifications of post %d: %w", p.ID, err)
	}
	return nil
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

// VisibleTo is the one rule of who may see a post: the SQL condition that
// post p may be shown to reader (an SQL expression giving an identity id,
// 0 for someone logged out). Every timeline, search and single-post read
// uses it; CanSee applies it to one post.
//
//   - deleted posts: nobody;
//   - public and unlisted: everyone;
//   - local: like public, for readers on this server only (local
//     identities and logged-out visitors of this server's pages; the
//     ActivityPub routes never serve them);
//   - private: the author, accepted followers and the mentioned;
//   - direct: the author and the mentioned;
//   - a reader who blocks or mutes the author (while the mute lasts), or
//     whom the author blocks, sees nothing of theirs;
//   - a reader who blocked the author's domain (identity_domain_blocks)
//     sees nothing from it but the posts of accounts they follow, as in
//     Mastodon. The probe is one primary-key lookup, empty for nearly
//     every reader.
//
// Visibilities are SQL literals so that partial indexes keep serving
// generic plans.
func VisibleTo(reader string) string {
	r := "(" + reader + ")::bigint"
	// With the reader a query parameter, what is the same for every row
	// (whom the reader blocks and is blocked by, whether they block any
	// domain) is asked once per query, as an InitPlan, instead of once per
	// row: a page of a timeline probes a few indexes instead of a hundred.
	// A reader that is a column of the row keeps the correlated forms.
	blockedByReader := `NOT EXISTS (SELECT 1 FROM blocks vb WHERE vb.source_id = ` + r + ` AND vb.target_id = p.author_id
		AND vb.state IN ('new', 'sent', 'muted') AND (vb.expires IS NULL OR vb.expires > now()))`
	blockingReader := `NOT EXISTS (SELECT 1 FROM blocks vb WHERE vb.source_id = p.author_id AND vb.target_id = ` + r + `
		AND NOT vb.mute AND vb.state IN ('new', 'sent', 'received'))`
	domainBlocked := `NOT EXISTS (SELECT 1 FROM identity_domain_blocks vd JOIN identities va ON va.domain = vd.domain
		WHERE vd.identity_id = ` + r + ` AND va.id = p.author_id
		AND NOT EXISTS (SELECT 1 FROM follows vdf WHERE vdf.source_id = ` + r + ` AND vdf.target_id = p.author_id
			AND vdf.state = 'accepted'))`
	if strings.HasPrefix(reader, "$") {
		blockedByReader = `p.author_id <> ALL (ARRAY(SELECT vb.target_id FROM blocks vb WHERE vb.source_id = ` + r + `
		AND vb.state IN ('new', 'sent', 'muted') AND (vb.expires IS NULL OR vb.expires > now())))`
		blockingReader = `p.author_id <> ALL (ARRAY(SELECT vb.source_id FROM blocks vb WHERE vb.target_id = ` + r + `
		AND NOT vb.mute AND vb.state IN ('new', 'sent', 'received')))`
		domainBlocked = `(NOT EXISTS (SELECT 1 FROM identity_domain_blocks vd0 WHERE vd0.identity_id = ` + r + `) OR ` + domainBlocked + `)`
	}
	return `(p.deleted IS NULL AND (
		p.visibility IN ('public', 'unlisted')
		OR (p.visibility = 'local' AND (` + r + ` = 0 OR EXISTS (SELECT 1 FROM identities ri WHERE ri.id = ` + r + ` AND ri.local)))
		OR (` + r + ` <> 0 AND (p.author_id = ` + r + ` OR ` + r + ` = ANY (p.mentions)))
		OR (p.visibility = 'private' AND EXISTS (SELECT 1 FROM follows vf WHERE vf.source_id = ` + r + `
			AND vf.target_id = p.author_id AND vf.state = 'accepted'))
	) AND ` + blockedByReader + `
	AND ` + blockingReader + `
	AND ` + domainBlocked + `)`
}

// CanSee reports whether reader (0: logged out) may see post postID, by
// VisibleTo.
func CanSee(ctx context.Context, db DB, reader, postID model.ID) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM posts p WHERE p.id = $1 AND `+VisibleTo("$2")+`)`,
		postID, reader).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: visibility of post %d: %w", postID, err)
	}
	return ok, nil
}

// pagePosts runs a timeline query: the posts (alias p) of from that match
// where, paged by key (p.id or a column equal to it, so that the index
// ordering it serves the page), newest first. args are $1.. of where; the
// page bounds and limit follow them.
func pagePosts(ctx context.Context, db DB, what, from, where, key string, pg Page, args ...any) ([]*model.Post, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	n := len(args)
	q := fmt.Sprintf(`SELECT %s FROM %s WHERE %s AND ($%d::bigint = 0 OR %s < $%d) AND ($%d::bigint = 0 OR %s > $%d)
		ORDER BY %s %s LIMIT $%d`, postColumns, from, where, n+1, key, n+1, n+2, key, n+2, key, order, n+3)
	args = append(args, int64(pg.MaxID), int64(lower), pg.limit())
	posts, err := collectPosts(db.Query(ctx, q, args...))
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	if order == "ASC" {
		slices.Reverse(posts)
	}
	return posts, nil
}

// HomeEntry is one entry of a home timeline: a post, or a boost of it.
type HomeEntry struct {
	*model.Post
	// BoostID is the boost (its interaction id, a snowflake of when it was
	// boosted; Mastodon's reblog status id) and BoostedBy the booster; both
	// 0 for a post in its own right.
	BoostID   model.ID
	BoostedBy model.ID
}

// Key is what the home timeline is paged by: the boost id of a boost, the
// post id of a post.
func (e HomeEntry) Key() model.ID {
	if e.BoostID != 0 {
		return e.BoostID
	}
	return e.ID
}

// extraRow scans the columns that follow postColumns into extra.
type extraRow struct {
	row   pgx.Row
	extra []any
}

func (r extraRow) Scan(dest ...any) error { return r.row.Scan(append(dest, r.extra...)...) }

// homeKey orders and pages the home timeline (timeline_events_home).
const homeKey = "coalesce(e.boost_id, e.post_id)"

// homePage is the FROM and the rest of a query of a page of the home
// timeline of $1 (e: its entries, p: their posts), bounded by $2 (max),
// $3 (since or min) and $4 (limit), ordered DESC or ASC: HomeEntries and
// HomeStamps read the same page.
func homePage(order string) string {
	return `FROM timeline_events e JOIN posts p ON p.id = e.post_id
		WHERE e.identity_id = $1 AND e.type = 'post' AND ` + VisibleTo("$1") + ` AND ` + NotExclusivelyListed("$1") + `
		AND ($2::bigint = 0 OR ` + homeKey + ` < $2) AND ($3::bigint = 0 OR ` + homeKey + ` > $3)
		ORDER BY ` + homeKey + ` ` + order + ` LIMIT $4`
}

// HomeTimeline returns a page of an identity's home timeline, newest
// first: posts, and boosts as the boosted post (a post followed and
// boosted shows twice). HomeEntries tells boosts from posts.
func HomeTimeline(ctx context.Context, db DB, identityID model.ID, pg Page) ([]*model.Post, error) {
	entries, err := HomeEntries(ctx, db, identityID, pg)
	if err != nil {
		return nil, err
	}
	posts := make([]*model.Post, len(entries))
	for k, e := range entries {
		posts[k] = e.Post
	}
	return posts, nil
}

// HomeEntries returns a page of an identity's home timeline, newest first,
// each entry a post or a boost (who boosted). Pages are bounded by
// HomeEntry.Key, one column of one index.
func HomeEntries(ctx context.Context, db DB, identityID model.ID, pg Page) ([]HomeEntry, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	q := `SELECT ` + postColumns + `, coalesce(e.boost_id, 0), CASE WHEN e.boost_id IS NULL THEN 0 ELSE e.subject_id END
		` + homePage(order)
	rows, err := db.Query(ctx, q, identityID, int64(pg.MaxID), int64(lower), pg.limit())
	if err != nil {
		return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []HomeEntry
	for rows.Next() {
		var e HomeEntry
		var boostID, by int64
		e.Post, err = scanPost(extraRow{rows, []any{&boostID, &by}})
		if err != nil {
			return nil, fmt.Errorf("store: home timeline of %d: %w", identityID, err)
		}
		e.BoostID, e.BoostedBy = model.ID(boostID), model.ID(by)
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

// LocalTimeline returns a page of the public (and local-only) posts of the
// local identities of domain, as reader sees them.
func LocalTimeline(ctx context.Context, db DB, domain string, reader model.ID, pg Page) ([]*model.Post, error) {
	return pagePosts(ctx, db, "local timeline of "+domain,
		"posts p JOIN identities a ON a.id = p.author_id",
		`p.local AND p.visibility IN ('public', 'local') AND p.deleted IS NULL AND a.domain = $1 AND `+VisibleTo("$2"),
		"p.id", pg, domain, reader)
}

// FederatedOptions filters the federated timeline.
type FederatedOptions struct {
	Local     bool // only posts written here
	Remote    bool // only posts from other servers
	OnlyMedia bool // only posts with attachments
}

// FederatedTimeline returns a page of the public posts known here, ours
// and other servers', as reader sees them.
func FederatedTimeline(ctx context.Context, db DB, reader model.ID, opts FederatedOptions, pg Page) ([]*model.Post, error) {
	where := `p.visibility = 'public' AND p.deleted IS NULL`
	switch {
	case opts.Local && opts.Remote:
		return nil, nil
	case opts.Local:
		where += ` AND p.local AND p.visibility IN ('public', 'local')`
	case opts.Remote:
		where += ` AND NOT p.local`
	}
	if opts.OnlyMedia {
		where += ` AND EXISTS (SELECT 1 FROM media_attachments ma WHERE ma.post_id = p.id)`
	}
	return pagePosts(ctx, db, "federated timeline", "posts p", where+" AND "+VisibleTo("$1"), "p.id", pg, reader)
}

// HashtagTimeline returns a page of the public posts using tag (without
// '#', any case), as reader sees them.
func HashtagTimeline(ctx context.Context, db DB, tag string, reader model.ID, pg Page) ([]*model.Post, error) {
	return pagePosts(ctx, db, "hashtag timeline of "+tag,
		"post_hashtags h JOIN posts p ON p.id = h.post_id",
		`h.hashtag = lower($1) AND p.visibility IN ('public', 'local') AND `+VisibleTo("$2"),
		"h.post_id", pg, tag, reader)
}

// AccountOptions filters an account's posts.
type AccountOptions struct {
	// Pinned: the posts the author pinned (pins in force: not undone).
	Pinned bool
	// ExcludeReplies leaves out replies (except to the author's own posts).
	ExcludeReplies bool
	// OnlyMedia: posts with attachments.
	OnlyMedia bool
}

// AccountPosts returns a page of an author's posts that reader may see.
func AccountPosts(ctx context.Context, db DB, author, reader model.ID, opts AccountOptions, pg Page) ([]*model.Post, error) {
	where := "p.author_id = $1 AND " + VisibleTo("$2")
	if opts.OnlyMedia {
		where += ` AND EXISTS (SELECT 1 FROM media_attachments ma WHERE ma.post_id = p.id)`
	}
	if opts.Pinned {
		where += ` AND EXISTS (SELECT 1 FROM post_interactions pin WHERE pin.identity_id = $1 AND pin.type = 'pin'
			AND pin.post_id = p.id AND pin.state IN ('new', 'fanned_out', 'received'))`
	}
	if opts.ExcludeReplies {
		where += ` AND (p.in_reply_to_uri = '' OR EXISTS (SELECT 1 FROM posts rp WHERE rp.id = p.in_reply_to_id AND rp.author_id = p.author_id))`
	}
	return pagePosts(ctx, db, fmt.Sprintf("posts of %d", author), "posts p", where, "p.id", pg, author, reader)
}

// Context limits: how many ancestors and descendants a thread shows.
const (
	MaxAncestors   = 40
	MaxDescendants = 60
)

// Context returns the thread around a post as reader sees it: its
// ancestors, the root first, and its descendants depth first in reply
// order; posts reader may not see are left out.
func Context(ctx context.Context, db DB, postID, reader model.ID) (ancestors, descendants []*model.Post, err error) {
	ancestors, err = collectPosts(db.Query(ctx, `WITH RECURSIVE up (id, depth) AS (
			SELECT in_reply_to_id, 1 FROM posts WHERE id = $1 AND in_reply_to_id IS NOT NULL
			UNION ALL
			SELECT p.in_reply_to_id, up.depth + 1 FROM up JOIN posts p ON p.id = up.id
			WHERE p.in_reply_to_id IS NOT NULL AND up.depth < $3
		)
		SELECT `+postColumns+` FROM up JOIN posts p ON p.id = up.id WHERE `+VisibleTo("$2")+` ORDER BY up.depth DESC`,
		postID, reader, MaxAncestors))
	if err != nil {
		return nil, nil, fmt.Errorf("store: ancestors of %d: %w", postID, err)
	}
	descendants, err = collectPosts(db.Query(ctx, `WITH RECURSIVE down (id, path) AS (
			SELECT id, ARRAY[id] FROM posts WHERE in_reply_to_id = $1
			UNION ALL
			SELECT p.id, down.path || p.id FROM down JOIN posts p ON p.in_reply_to_id = down.id
			WHERE cardinality(down.path) < $3
		)
		SELECT `+postColumns+` FROM down JOIN posts p ON p.id = down.id WHERE `+VisibleTo("$2")+` ORDER BY down.path LIMIT $4`,
		postID, reader, MaxAncestors, MaxDescendants))
	if err != nil {
		return nil, nil, fmt.Errorf("store: descendants of %d: %w", postID, err)
	}
	return ancestors, descendants, nil
}

// QueuePostFetch records that the post at uri should be fetched (depth:
// how many replies below the post that arrived it is). It reports false
// when that fetch was queued before.
func QueuePostFetch(ctx context.Context, db DB, uri string, depth int) (bool, error) {
	tag, err := db.Exec(ctx, `INSERT INTO post_fetches (id, uri, depth) VALUES ($1, $2, $3) ON CONFLICT (uri) DO NOTHING`,
		model.NewID(), uri, depth)
	if err != nil {
		return false, fmt.Errorf("store: queueing fetch of %s: %w", uri, err)
	}
	return tag.RowsAffected() == 1, nil
}

// PostFetch returns the URI and depth of a queued fetch ("" when gone).
func PostFetch(ctx context.Context, db DB, id int64) (uri string, depth int, state string, err error) {
	err = db.QueryRow(ctx, "SELECT uri, depth, state FROM post_fetches WHERE id = $1", id).Scan(&uri, &depth, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, "", nil
	}
	return uri, depth, state, err
}
