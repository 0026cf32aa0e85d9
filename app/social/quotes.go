package social

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Quote posts, as Mastodon 4.5 makes them (FEP-044f): a post may quote
// another; the quoted author's policy says who may, and the quote shows
// once the quoted author's server authorized it. This file holds the
// rules; quotes_ap.go the ActivityPub shapes, quotes_inbox.go what other
// servers send, quotes_verify.go the check of their authorizations.

// Quote states (the quote graph's): pending until authorized, verifying
// while an authorization another server named is checked, then accepted,
// or rejected, revoked (by the quoted author after acceptance) or deleted
// (the quoted post is gone).
const (
	QuotePending   = "pending"
	QuoteVerifying = "verifying"
	QuoteAccepted  = "accepted"
	QuoteRejected  = "rejected"
	QuoteRevoked   = "revoked"
	QuoteDeleted   = "deleted"
)

// Quote policies an author chooses (Mastodon's quote_approval_policy).
const (
	QuotePolicyPublic    = "public"
	QuotePolicyFollowers = "followers"
	QuotePolicyNobody    = "nobody"
)

// How a post's quote policy applies to someone (QuoteApproval's
// current_user).
const (
	QuoteAutomatic = "automatic"
	QuoteManual    = "manual"
	QuoteDenied    = "denied"
	QuoteUnknown   = "unknown"
)

// Errors of quoting.
var (
	// ErrQuoteNotAllowed: the post does not exist, is not visible to the
	// quoter, or its policy does not let the quoter quote it.
	ErrQuoteNotAllowed = errors.New("the post cannot be quoted")
	// ErrQuoteNotMentioned: a direct post quotes someone it does not
	// mention.
	ErrQuoteNotMentioned = errors.New("a private mention quotes a user it does not mention")
	// ErrQuotePolicy: not one of public, followers, nobody.
	ErrQuotePolicy = errors.New("unknown quote approval policy")
)

// ValidQuotePolicy reports whether s is a policy an author may choose.
func ValidQuotePolicy(s string) bool {
	return s == QuotePolicyPublic || s == QuotePolicyFollowers || s == QuotePolicyNobody
}

// quotePolicyOf is the stored form of a chosen policy for a post of
// visibility vis: private and direct posts are quotable by nobody but
// their author, whatever was asked.
func quotePolicyOf(choice, vis string) store.QuotePolicy {
	if vis == model.VisibilityPrivate || vis == model.VisibilityDirect {
		choice = QuotePolicyNobody
	}
	switch choice {
	case QuotePolicyPublic, "":
		return store.QuotePolicy{Automatic: []string{"public"}}
	case QuotePolicyFollowers:
		return store.QuotePolicy{Automatic: []string{"followers"}}
	}
	return store.QuotePolicy{}
}

// QuoteApprovalFor tells how a post's policy applies to reader (0: logged
// out), as Mastodon's quote_policy_for_account: the author may always
// quote (but nobody a direct post); readerFollows and followedByAuthor
// are the follows between reader and the author.
func QuoteApprovalFor(p *model.Post, reader model.ID, policy store.QuotePolicy, readerFollows, followedByAuthor bool) string {
	if reader == 0 || p.Visibility == model.VisibilityDirect {
		return QuoteDenied
	}
	if reader == p.AuthorID {
		return QuoteAutomatic
	}
	matches := func(list []string) bool {
		return slices.Contains(list, "public") || (readerFollows && slices.Contains(list, "followers")) ||
			(followedByAuthor && slices.Contains(list, "following"))
	}
	switch {
	case matches(policy.Automatic):
		return QuoteAutomatic
	case matches(policy.Manual):
		return QuoteManual
	case slices.Contains(policy.Automatic, "unsupported_policy") || slices.Contains(policy.Manual, "unsupported_policy"):
		return QuoteUnknown
	}
	return QuoteDenied
}

// distributable reports whether a post goes beyond its author's followers
// (Mastodon's distributable?): only those may be quoted by others.
func distributable(p *model.Post) bool {
	switch p.Visibility {
	case model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityLocal:
		return true
	}
	return false
}

// quoteApproval tells how quoted's policy applies to who, looking up the
// follows it needs.
func (in *Instance) quoteApproval(ctx context.Context, db store.DB, who model.ID, quoted *model.Post) (string, error) {
	policy, err := store.QuotePolicyOf(ctx, db, quoted.ID)
	if err != nil {
		return "", err
	}
	follows, followed := false, false
	if who != 0 && who != quoted.AuthorID {
		if f, err := store.FollowBetween(ctx, db, who, quoted.AuthorID); err != nil {
			return "", err
		} else if f != nil && f.State == FollowAccepted {
			follows = true
		}
		if f, err := store.FollowBetween(ctx, db, quoted.AuthorID, who); err != nil {
			return "", err
		} else if f != nil && f.State == FollowAccepted {
			followed = true
		}
	}
	return QuoteApprovalFor(quoted, who, policy, follows, followed), nil
}

// CheckQuote tells whether author may quote quoted (ErrQuoteNotAllowed if
// not): it must be visible to them, not a direct post, and either theirs,
// or going beyond followers with a policy that lets them quote it
// (automatically or after approval).
func (in *Instance) CheckQuote(ctx context.Context, author *model.Identity, quoted *model.Post) error {
	_, err := in.checkQuote(ctx, author, quoted)
	return err
}

// checkQuote is CheckQuote, also telling how the policy applies.
func (in *Instance) checkQuote(ctx context.Context, author *model.Identity, quoted *model.Post) (string, error) {
	if quoted == nil || quoted.Deleted != nil || quoted.Visibility == model.VisibilityDirect {
		return "", ErrQuoteNotAllowed
	}
	if ok, err := in.CanSee(ctx, author.ID, quoted); err != nil || !ok {
		return "", errors.Join(err, ErrQuoteNotAllowed)
	}
	if quoted.AuthorID == author.ID {
		return QuoteAutomatic, nil
	}
	if !distributable(quoted) {
		return "", ErrQuoteNotAllowed
	}
	approval, err := in.quoteApproval(ctx, in.DB, author.ID, quoted)
	if err != nil {
		return "", err
	}
	if approval != QuoteAutomatic && approval != QuoteManual {
		return "", ErrQuoteNotAllowed
	}
	return approval, nil
}

// QuoteVisibility is the visibility of a post quoting quoted with the
// visibility asked for: quoting a private post makes a public or unlisted
// quote private, as in Mastodon.
func QuoteVisibility(quoted *model.Post, vis string) string {
	if quoted != nil && quoted.Visibility == model.VisibilityPrivate &&
		(vis == model.VisibilityPublic || vis == model.VisibilityUnlisted || vis == model.VisibilityLocal) {
		return model.VisibilityPrivate
	}
	return vis
}

// prepareQuote readies a new post of ours for its quote and quote policy:
// it checks the quote (again: a scheduled post may quote what can no
// longer be quoted), narrows the visibility, and returns what to write in
// the transaction that inserts the post: the policy, and the quote,
// accepted at once when the quoted post is ours (its author is notified),
// pending otherwise (the post graph asks the quoted author's server).
func (in *Instance) prepareQuote(ctx context.Context, p *model.Post, author *model.Identity, opts PostOptions) (func(store.DB) error, error) {
	if opts.QuotePolicy != "" && !ValidQuotePolicy(opts.QuotePolicy) {
		return nil, ErrQuotePolicy
	}
	var q *store.Quote
	state := QuotePending
	if quoted := opts.Quote; quoted != nil {
		approval, err := in.checkQuote(ctx, author, quoted)
		if err != nil {
			return nil, err
		}
		p.Visibility = QuoteVisibility(quoted, p.Visibility)
		if p.Visibility == model.VisibilityDirect && quoted.AuthorID != author.ID && !slices.Contains(p.Mentions, quoted.AuthorID) {
			return nil, ErrQuoteNotMentioned
		}
		q = &store.Quote{ID: model.NewID(), PostID: p.ID, AuthorID: author.ID, QuotedURI: quoted.URI,
			QuotedPostID: quoted.ID, QuotedAuthorID: quoted.AuthorID}
		if quoted.Local && approval == QuoteAutomatic {
			quotedAuthor, err := store.IdentityByID(ctx, in.DB, quoted.AuthorID)
			if err != nil || quotedAuthor == nil {
				return nil, errors.Join(err, fmt.Errorf("the author of post %d is gone", quoted.ID))
			}
			state, q.ApprovalURI = QuoteAccepted, quoteAuthorizationURI(quotedAuthor, q.ID)
		}
	}
	policy := quotePolicyOf(opts.QuotePolicy, p.Visibility)
	return func(db store.DB) error {
		if len(policy.Automatic)+len(policy.Manual) > 0 {
			if _, err := store.SaveQuotePolicy(ctx, db, p.ID, policy); err != nil {
				return err
			}
		}
		if q == nil {
			return nil
		}
		if _, err := store.InsertQuote(ctx, db, q, state); err != nil {
			return err
		}
		if state == QuoteAccepted {
			return in.notifyQuoted(ctx, db, q)
		}
		return nil
	}, nil
}

// notifyQuoted tells the quoted author, when they are ours and may see
// the quoting post, that a quote of theirs was accepted.
func (in *Instance) notifyQuoted(ctx context.Context, db store.DB, q *store.Quote) error {
	if q.QuotedAuthorID == 0 || q.QuotedAuthorID == q.AuthorID {
		return nil
	}
	if ok, err := store.CanSee(ctx, db, q.QuotedAuthorID, q.PostID); err != nil || !ok {
		return err
	}
	return in.notifyLocal(ctx, db, q.QuotedAuthorID, store.NotifyQuote, q.PostID, q.AuthorID)
}

// editQuotePolicy applies the policy an edit of a post of ours asks for
// (nil: unchanged).
func (in *Instance) editQuotePolicy(ctx context.Context, db store.DB, p *model.Post, choice *string) error {
	if choice == nil || *choice == "" {
		return nil
	}
	if !ValidQuotePolicy(*choice) {
		return ErrQuotePolicy
	}
	_, err := store.SaveQuotePolicy(ctx, db, p.ID, quotePolicyOf(*choice, p.Visibility))
	return err
}

// SetQuotePolicy changes who may quote a post of who's (PUT
// /api/v1/statuses/:id/interaction_policy): quotes already made stay. A
// change goes to the post's audience on other servers as an Update.
func (in *Instance) SetQuotePolicy(ctx context.Context, who *model.Identity, p *model.Post, choice string) error {
	if p.AuthorID != who.ID || !p.Local {
		return ErrNotPostOwner
	}
	if !ValidQuotePolicy(choice) {
		return ErrQuotePolicy
	}
	changed, err := store.SaveQuotePolicy(ctx, in.DB, p.ID, quotePolicyOf(choice, p.Visibility))
	if err != nil || !changed {
		return err
	}
	return in.sendPostUpdate(ctx, p, who)
}
