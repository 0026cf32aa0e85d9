package store

import (
	"context"

	"pukeko/app/model"
)

// Notification types of quote posts: one of your posts was quoted (the
// quoting post attached), a post you quoted was edited (your quote
// attached).
const (
	NotifyQuote        = "quote"
	NotifyQuotedUpdate = "quoted_update"
)

// The quote types join the list here, beside the rest of quote posts.
func init() {
	NotificationTypes = append(NotificationTypes, NotifyQuote, NotifyQuotedUpdate)
}

// NotifyQuotersOfEdit tells the local authors of accepted quotes of an
// edited post (quoted_update, their quote attached, from the editor): the
// notification of an earlier edit makes way for this one's.
func NotifyQuotersOfEdit(ctx context.Context, db DB, p *model.Post) error {
	quotes, err := LocalQuotesOf(ctx, db, p.ID)
	if err != nil {
		return err
	}
	for _, q := range quotes {
		if q.AuthorID == p.AuthorID {
			continue
		}
		if err := RemoveNotification(ctx, db, q.AuthorID, NotifyQuotedUpdate, q.PostID, p.AuthorID); err != nil {
			return err
		}
		if _, err := AddNotification(ctx, db, q.AuthorID, NotifyQuotedUpdate, q.PostID, p.AuthorID); err != nil {
			return err
		}
	}
	return nil
}
