package social

import (
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// RevokeQuote is the quoted author taking back a quote of their post
// (Mastodon's RevokeQuoteService): an accepted quote is revoked, a pending
// one rejected, and the Delete of its authorization goes to the servers
// that saw either post, so that they stop showing the quote too.
func (in *Instance) RevokeQuote(ctx context.Context, who *model.Identity, quoted *model.Post, q *store.Quote) error {
	if quoted.AuthorID != who.ID || q.QuotedPostID != quoted.ID {
		return ErrNotPostOwner
	}
	approval := q.ApprovalURI
	next := QuoteRejected
	switch q.State {
	case QuoteAccepted:
		next = QuoteRevoked
	case QuoteRevoked, QuoteDeleted:
		next = q.State
	}
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		q.ApprovalURI = ""
		if err := store.UpdateQuote(ctx, tx, q); err != nil {
			return err
		}
		if _, err := in.quoteGraph().Move(ctx, tx, int64(q.ID), next); err != nil {
			return err
		}
		return store.RemoveNotification(ctx, tx, who.ID, store.NotifyQuote, q.PostID, q.AuthorID)
	})
	if err != nil || approval == "" || !quoted.Local {
		return err
	}
	inboxes, err := in.quoteInboxes(ctx, quoted, who, q)
	if err != nil {
		return err
	}
	del := ap.NewActivity("Delete", approval+"#delete", who.URI, approval)
	del["to"] = []string{ap.Public}
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, who, inbox, del); err != nil {
			return err
		}
	}
	return nil
}

// quoteInboxes lists the remote inboxes that saw a quote: the quoting
// author's and its post's audience, and the quoted post's audience.
func (in *Instance) quoteInboxes(ctx context.Context, quoted *model.Post, who *model.Identity, q *store.Quote) ([]string, error) {
	var inboxes []string
	add := func(list ...string) {
		for _, s := range list {
			if s != "" && !slices.Contains(inboxes, s) {
				inboxes = append(inboxes, s)
			}
		}
	}
	if federated(quoted) {
		list, err := store.PostInboxes(ctx, in.DB, who.ID, toFollowers(quoted), quoted.Mentions)
		if err != nil {
			return nil, err
		}
		add(list...)
	}
	post, err := store.PostByID(ctx, in.DB, q.PostID)
	if err != nil || post == nil {
		return inboxes, err
	}
	if !post.Local {
		author, err := store.IdentityByID(ctx, in.DB, post.AuthorID)
		if err != nil {
			return nil, err
		}
		if author != nil {
			add(author.DeliveryInbox())
		}
		return inboxes, nil
	}
	if federated(post) {
		list, err := store.PostInboxes(ctx, in.DB, post.AuthorID, toFollowers(post), post.Mentions)
		if err != nil {
			return nil, err
		}
		add(list...)
	}
	return inboxes, nil
}
