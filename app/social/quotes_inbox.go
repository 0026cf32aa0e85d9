package social

import (
	"context"
	"errors"
	"slices"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// What other servers send about quotes: the quote and policy of their
// posts, QuoteRequests for our posts, the answers to ours, and the
// withdrawal of authorizations.

// quoteRef reads what a post object quotes: the FEP-044f quote (a URI or
// an embedded object, a Tombstone when the quoted post is gone), or the
// older quoteUrl, quoteUri and _misskey_quote; and the authorization.
func quoteRef(obj ap.Object) (uri, approval string, gone bool) {
	if q := obj.Embedded("quote"); q != nil && q.Type() == "Tombstone" {
		return q.ID(), "", true
	}
	for _, key := range []string{"quote", "_misskey_quote", "quoteUrl", "quoteUri"} {
		if uri = obj.Ref(key); uri != "" {
			break
		}
	}
	return uri, obj.Ref("quoteAuthorization"), false
}

// quotePolicyFrom reads interactionPolicy.canQuote of a post of author,
// as Mastodon does: Public, the author's followers or following; the
// author is always allowed; anyone else named makes the policy one we
// cannot evaluate (unsupported_policy).
func quotePolicyFrom(obj ap.Object, author *model.Identity) store.QuotePolicy {
	var p store.QuotePolicy
	policy := obj.Embedded("interactionPolicy")
	if policy == nil {
		return p
	}
	can := policy.Embedded("canQuote")
	if can == nil {
		return p
	}
	read := func(key string) []string {
		var out []string
		add := func(s string) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		for _, uri := range can.Refs(key) {
			switch {
			case uri == ap.Public || uri == "as:Public" || uri == "Public":
				add("public")
			case uri == author.FollowersURI && uri != "":
				add("followers")
			case uri == author.FollowingURI && uri != "":
				add("following")
			case uri == author.URI:
			default:
				add("unsupported_policy")
			}
		}
		return out
	}
	return store.QuotePolicy{Automatic: read("automaticApproval"), Manual: read("manualApproval")}
}

// quoteFetchKey marks the context of a post fetched because a quote named
// it: its own quote of an unknown post is not fetched in turn, so that a
// chain of quotes does not make us crawl.
type quoteFetchKey struct{}

// resolveQuote finds the post a received quote names and tells the
// state the quote starts in: accepted when authors quote themselves,
// pending when the quoted post is ours (its QuoteRequest decides) or
// nothing authorizes it, verifying when an authorization is to be checked
// or the quoted post to be fetched.
func (in *Instance) resolveQuote(ctx context.Context, q *store.Quote, gone bool) (string, error) {
	if gone {
		return QuoteDeleted, nil
	}
	quoted, err := store.PostByURI(ctx, in.DB, q.QuotedURI)
	if err != nil {
		return "", err
	}
	if quoted == nil {
		if ctx.Value(quoteFetchKey{}) != nil {
			return QuotePending, nil
		}
		return QuoteVerifying, nil
	}
	q.QuotedPostID, q.QuotedAuthorID = quoted.ID, quoted.AuthorID
	switch {
	case quoted.Deleted != nil:
		return QuoteDeleted, nil
	case quoted.AuthorID == q.AuthorID:
		return QuoteAccepted, nil
	case quoted.Local:
		// Only our own QuoteRequest answer authorizes a quote of ours.
		q.ApprovalURI = ""
		return QuotePending, nil
	case q.ApprovalURI != "":
		return QuoteVerifying, nil
	}
	return QuotePending, nil
}

// storeRemoteQuote records the quote policy of a post another server sent
// and what it quotes.
func (in *Instance) storeRemoteQuote(ctx context.Context, actor *model.Identity, p *model.Post, obj ap.Object) error {
	if policy := quotePolicyFrom(obj, actor); len(policy.Automatic)+len(policy.Manual) > 0 {
		if _, err := store.SaveQuotePolicy(ctx, in.DB, p.ID, policy); err != nil {
			return err
		}
	}
	uri, approval, gone := quoteRef(obj)
	if uri == "" && !gone {
		return nil
	}
	q := &store.Quote{PostID: p.ID, AuthorID: actor.ID, QuotedURI: uri, ApprovalURI: approval}
	state, err := in.resolveQuote(ctx, q, gone)
	if err != nil {
		return err
	}
	_, err = store.InsertQuote(ctx, in.DB, q, state)
	return err
}

// receiveQuoteUpdate applies the quote policy and quote of an updated post
// of another server: a new quote or authorization is checked again, a
// quote taken out is forgotten. done tells that the Update changed nothing
// else (Mastodon sends one when a quote is authorized or a policy
// changes), so it is no edit.
func (in *Instance) receiveQuoteUpdate(ctx context.Context, actor *model.Identity, old *model.Post, n *ap.ParsedNote, obj ap.Object) (done bool, result string, err error) {
	if err := store.ReplaceQuotePolicy(ctx, in.DB, old.ID, quotePolicyFrom(obj, actor)); err != nil {
		return false, "", err
	}
	uri, approval, gone := quoteRef(obj)
	q, err := store.QuoteOfPost(ctx, in.DB, old.ID)
	if err != nil {
		return false, "", err
	}
	switch {
	case q == nil && uri == "" && !gone:
	case q == nil:
		if err := in.storeRemoteQuote(ctx, actor, old, obj); err != nil {
			return false, "", err
		}
	case uri == "" && !gone:
		if err := store.DeleteQuote(ctx, in.DB, q.ID); err != nil {
			return false, "", err
		}
	case uri != q.QuotedURI || gone || (approval != "" && approval != q.ApprovalURI):
		next := &store.Quote{ID: q.ID, PostID: q.PostID, AuthorID: q.AuthorID, QuotedURI: uri, ApprovalURI: approval, RequestURI: q.RequestURI}
		state, err := in.resolveQuote(ctx, next, gone)
		if err != nil {
			return false, "", err
		}
		if q.State == QuoteAccepted && next.QuotedPostID == q.QuotedPostID && next.QuotedPostID != 0 && state == QuotePending {
			state = QuoteAccepted // a quote of ours, authorized here before
			next.ApprovalURI = q.ApprovalURI
		}
		if err := store.UpdateQuote(ctx, in.DB, next); err != nil {
			return false, "", err
		}
		if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), state); err != nil {
			return false, "", err
		}
	}
	unchanged := obj.Type() != "Question" && n.Post.Content == old.Content && n.Post.Summary == old.Summary &&
		n.Post.Sensitive == old.Sensitive && n.Post.Title == old.Title &&
		(n.Post.Edited == nil || (old.Edited != nil && !n.Post.Edited.After(*old.Edited)))
	return unchanged, "quote and policy updated", nil
}

// receiveQuoteRequest answers a QuoteRequest for a post of ours: Accept,
// with the authorization as result, when its policy lets the requester
// quote it automatically; Reject otherwise (nobody here approves quotes
// by hand). The quoting post comes embedded (instrument), or is fetched.
func (in *Instance) receiveQuoteRequest(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	if a.ID() == "" || ap.SameHost(a.ID(), actor.URI) != nil {
		return "", badActivity("%s sent a QuoteRequest without an id of its own", actor.URI)
	}
	quoted, err := store.PostByURI(ctx, in.DB, a.Ref("object"))
	if err != nil {
		return "", err
	}
	if quoted == nil || !quoted.Local || quoted.Deleted != nil {
		return "ignored: not a post here", nil
	}
	quotedAuthor, err := store.IdentityByID(ctx, in.DB, quoted.AuthorID)
	if err != nil || quotedAuthor == nil || quotedAuthor.Deleted != nil {
		return "ignored: the author is gone", err
	}
	instrument := a.Ref("instrument")
	request := quoteRequest(a.ID(), actor.URI, quoted.URI, instrument)
	allowed := false
	if ok, err := in.CanSee(ctx, actor.ID, quoted); err != nil {
		return "", err
	} else if ok && distributable(quoted) {
		approval, err := in.quoteApproval(ctx, in.DB, actor.ID, quoted)
		if err != nil {
			return "", err
		}
		allowed = approval == QuoteAutomatic
	}
	post, err := in.quotingPost(ctx, actor, a, instrument, allowed)
	if err != nil {
		return "", err
	}
	var q *store.Quote
	if post != nil {
		if q, err = store.QuoteOfPost(ctx, in.DB, post.ID); err != nil {
			return "", err
		}
	}
	if q != nil && (q.AuthorID != actor.ID || (q.QuotedPostID != quoted.ID && q.QuotedURI != quoted.URI)) {
		q = nil // the instrument quotes something else
	}
	if !allowed || q == nil {
		if q != nil && q.State != QuoteRejected {
			if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), QuoteRejected); err != nil {
				return "", err
			}
		}
		reject := quoteAnswer("Reject", quotedAuthor.URI+"#rejects/quote_requests/"+idString(model.NewID()), quotedAuthor, request, "")
		if err := in.deliver(ctx, in.DB, quotedAuthor, actor, reject); err != nil {
			return "", err
		}
		return "quote request rejected", nil
	}
	q.QuotedPostID, q.QuotedAuthorID = quoted.ID, quoted.AuthorID
	q.RequestURI, q.ApprovalURI = a.ID(), quoteAuthorizationURI(quotedAuthor, q.ID)
	if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
		return "", err
	}
	if q.State != QuoteAccepted {
		if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), QuoteAccepted); err != nil {
			return "", err
		}
	}
	accept := quoteAnswer("Accept", quotedAuthor.URI+"#accepts/quote_requests/"+idString(q.ID), quotedAuthor, request, q.ApprovalURI)
	if err := in.deliver(ctx, in.DB, quotedAuthor, actor, accept); err != nil {
		return "", err
	}
	if err := in.notifyQuoted(ctx, in.DB, q); err != nil {
		return "", err
	}
	return "quote request accepted", nil
}

// quotingPost finds the post a QuoteRequest names as its instrument:
// known here, embedded (when it is the requester's own), or fetched when
// the request is to be accepted. nil when there is no such post.
func (in *Instance) quotingPost(ctx context.Context, actor *model.Identity, a ap.Object, uri string, fetch bool) (*model.Post, error) {
	if uri == "" {
		return nil, nil
	}
	if p, err := store.PostByURI(ctx, in.DB, uri); err != nil || p != nil {
		return p, err
	}
	if emb := a.Embedded("instrument"); emb != nil && emb.ID() == uri && ap.PostTypes[emb.Type()] {
		if _, err := in.storeRemotePost(ctx, actor, emb, 0); err != nil {
			if errors.Is(err, errBadActivity) {
				return nil, nil
			}
			return nil, err
		}
		return store.PostByURI(ctx, in.DB, uri)
	}
	if !fetch || ap.SameHost(uri, actor.URI) != nil {
		return nil, nil
	}
	return in.postForURI(ctx, uri)
}

// receiveQuoteResponse applies the Accept or Reject of one of our
// QuoteRequests: only the quoted author may answer, and an accepted
// quote's authorization must live on their server. handled is false when
// the activity answers something else (a follow).
func (in *Instance) receiveQuoteResponse(ctx context.Context, actor *model.Identity, a ap.Object) (result string, handled bool, err error) {
	embedded := a.Embedded("object")
	if embedded != nil && embedded.Type() != "QuoteRequest" {
		return "", false, nil
	}
	q, err := store.QuoteByRequestURI(ctx, in.DB, a.Ref("object"))
	if err != nil {
		return "", true, err
	}
	if q == nil && embedded != nil {
		if p, err := store.PostByURI(ctx, in.DB, embedded.Ref("instrument")); err != nil {
			return "", true, err
		} else if p != nil && p.Local {
			if q, err = store.QuoteOfPost(ctx, in.DB, p.ID); err != nil {
				return "", true, err
			}
		}
	}
	if q == nil {
		if embedded != nil {
			return "ignored: unknown quote request", true, nil
		}
		return "", false, nil
	}
	if q.QuotedAuthorID != actor.ID {
		return "", true, badActivity("%s answered a quote request for someone else", actor.URI)
	}
	post, err := store.PostByID(ctx, in.DB, q.PostID)
	if err != nil {
		return "", true, err
	}
	if post == nil || !post.Local {
		return "ignored: not a quote of ours", true, nil
	}
	if a.Type() == "Reject" {
		next := QuoteRejected
		if q.State == QuoteAccepted {
			next = QuoteRevoked
		}
		q.ApprovalURI = ""
		if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
			return "", true, err
		}
		if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), next); err != nil {
			return "", true, err
		}
		return "quote " + next, true, nil
	}
	result = a.Ref("result")
	if result == "" || ap.SameHost(result, actor.URI) != nil {
		return "", true, badActivity("%s accepted a quote with an authorization %q not its own", actor.URI, result)
	}
	if q.State != QuotePending {
		return "quote already " + q.State, true, nil
	}
	q.ApprovalURI = result
	if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
		return "", true, err
	}
	if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), QuoteAccepted); err != nil {
		return "", true, err
	}
	author, err := store.IdentityByID(ctx, in.DB, post.AuthorID)
	if err != nil || author == nil {
		return "", true, err
	}
	// Our followers' servers get the authorization with the post.
	if err := in.sendPostUpdate(ctx, post, author); err != nil {
		return "", true, err
	}
	return "quote accepted", true, nil
}

// receiveQuoteAuthorizationDelete applies the quoted author withdrawing
// the authorization of a quote (Delete of the QuoteAuthorization):
// revoked. Anything else unknown is ignored.
func (in *Instance) receiveQuoteAuthorizationDelete(ctx context.Context, actor *model.Identity, uri string) (string, error) {
	q, err := store.QuoteByApprovalURI(ctx, in.DB, uri)
	if err != nil {
		return "", err
	}
	if q == nil || q.QuotedAuthorID != actor.ID {
		return "ignored: delete of an unknown object", nil
	}
	next := QuoteRejected
	if q.State == QuoteAccepted {
		next = QuoteRevoked
	}
	q.ApprovalURI = ""
	if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
		return "", err
	}
	if _, err := in.quoteGraph().Move(ctx, in.DB, int64(q.ID), next); err != nil {
		return "", err
	}
	return "quote " + next, nil
}
