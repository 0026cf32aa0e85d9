package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// listReplies is the replies policy of a list as Mastodon's feed manager
// applies it ($1 the list, $2 its owner, $3 its policy): a post that is
// no reply, a reply to its own author or to the owner always shows; other
// replies show when they answer someone the owner follows (policy
// "followed") or a member (policy "list"). A boost row shows as a boost.
const listReplies = `(e.boost_id IS NOT NULL OR p.in_reply_to_uri = ''
	OR rp.author_id = p.author_id OR rp.author_id = $2
	OR ($3 = 'followed' AND EXISTS (SELECT 1 FROM follows rf WHERE rf.source_id = $2 AND rf.target_id = rp.author_id
		AND rf.state = 'accepted'))
	OR ($3 = 'list' AND EXISTS (SELECT 1 FROM list_accounts rm WHERE rm.list_id = $1 AND rm.identity_id = rp.author_id)))`

// ListEntries returns a page of a list's timeline: the entries of its
// owner's home timeline written or boosted by its members, as the replies
// policy allows, newest first, paged like the home timeline.
func ListEntries(ctx context.Context, db DB, l *model.List, pg Page) ([]HomeEntry, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	q := `SELECT ` + postColumns + `, coalesce(e.boost_id, 0), CASE WHEN e.boost_id IS NULL THEN 0 ELSE e.subject_id END
		FROM timeline_events e JOIN posts p ON p.id = e.post_id
		LEFT JOIN posts rp ON rp.id = p.in_reply_to_id
		WHERE e.identity_id = $2 AND e.type = 'post' AND ` + VisibleTo("$2") + `
		AND EXISTS (SELECT 1 FROM list_accounts m WHERE m.list_id = $1
			AND m.identity_id = CASE WHEN e.boost_id IS NULL THEN p.author_id ELSE e.subject_id END)
		AND ` + listReplies + `
		AND ($4::bigint = 0 OR ` + homeKey + ` < $4) AND ($5::bigint = 0 OR ` + homeKey + ` > $5)
		ORDER BY ` + homeKey + ` ` + order + ` LIMIT $6`
	rows, err := db.Query(ctx, q, l.ID, l.IdentityID, l.RepliesPolicy, int64(pg.MaxID), int64(lower), pg.limit())
	if err != nil {
		return nil, fmt.Errorf("store: timeline of list %d: %w", l.ID, err)
	}
	defer rows.Close()
	var out []HomeEntry
	for rows.Next() {
		var e HomeEntry
		var boostID, by int64
		e.Post, err = scanPost(extraRow{rows, []any{&boostID, &by}})
		if err != nil {
			return nil, fmt.Errorf("store: timeline of list %d: %w", l.ID, err)
		}
		e.BoostID, e.BoostedBy = model.ID(boostID), model.ID(by)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: timeline of list %d: %w", l.ID, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// NotExclusivelyListed is the SQL condition that a home timeline row (alias
// e, joined to its post p) is not by a member of one of owner's exclusive
// lists (owner an SQL expression): Mastodon keeps such posts out of the
// home timeline, in their list only.
func NotExclusivelyListed(owner string) string {
	// Whether the owner has an exclusive list at all is asked once per
	// query (an InitPlan); nearly nobody has one.
	return `(NOT EXISTS (SELECT 1 FROM lists xl0 WHERE xl0.identity_id = (` + owner + `)::bigint AND xl0.exclusive)
		OR NOT EXISTS (SELECT 1 FROM lists xl JOIN list_accounts xm ON xm.list_id = xl.id
		WHERE xl.identity_id = (` + owner + `)::bigint AND xl.exclusive
		AND xm.identity_id = CASE WHEN e.boost_id IS NULL THEN p.author_id ELSE e.subject_id END))`
}
