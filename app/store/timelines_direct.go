package store

import (
	"context"

	"pukeko/app/model"
)

// DirectTimeline returns a page of the direct posts reader wrote or is
// mentioned in (Mastodon's deprecated direct timeline; conversations
// group the same posts).
func DirectTimeline(ctx context.Context, db DB, reader model.ID, pg Page) ([]*model.Post, error) {
	return pagePosts(ctx, db, "direct timeline", "posts p",
		`p.visibility = 'direct' AND (p.author_id = $1 OR $1 = ANY (p.mentions)) AND `+VisibleTo("$1"),
		"p.id", pg, reader)
}
