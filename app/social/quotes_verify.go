package social

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"pukeko/app/ap"
	"pukeko/app/federation"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

var quoteGraphs sync.Map // *Instance -> *stator.Graph

// quoteGraph returns the quote graph, built once per Instance.
func (in *Instance) quoteGraph() *stator.Graph {
	if g, ok := quoteGraphs.Load(in); ok {
		return g.(*stator.Graph)
	}
	g, _ := quoteGraphs.LoadOrStore(in, in.newQuoteGraph())
	return g.(*stator.Graph)
}

// newQuoteGraph declares the quote graph: a received quote with an
// authorization to check (or a quoted post to fetch) is verified, as
// Mastodon's VerifyQuoteService does; a fetch that fails is retried with
// backoff for a day, then the quote stays pending. The other states wait
// for what the quoted author's server says.
func (in *Instance) newQuoteGraph() *stator.Graph {
	g := stator.NewGraph("quotes", "quotes")
	g.State(QuoteVerifying).Retry(stator.Backoff{Base: 10 * time.Second, Max: time.Hour, Jitter: 0.2}).
		TimesOutTo(QuotePending, 24*time.Hour).
		Handle(in.verifyQuote, QuoteAccepted, QuoteRejected, QuotePending, QuoteDeleted)
	for _, s := range []string{QuotePending, QuoteAccepted, QuoteRejected, QuoteRevoked, QuoteDeleted} {
		g.State(s)
	}
	return g
}

// verifyQuote checks a quote another server sent: the quoted post is
// fetched when unknown; a quote of one's own post is accepted; otherwise
// the QuoteAuthorization it names is fetched from the quoted author's
// server and must be theirs and name this quote and the quoted post.
// One that is gone (a 4xx) rejects the quote.
func (in *Instance) verifyQuote(ctx context.Context, it stator.Item) (string, error) {
	q, err := store.QuoteByID(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if q == nil || q.State != it.State {
		return "", ignoreMoved(errMoved)
	}
	post, err := store.PostByID(ctx, in.DB, q.PostID)
	if err != nil || post == nil {
		return "", errors.Join(err, fmt.Errorf("quote %d: the quoting post is gone", q.ID))
	}
	if q.QuotedPostID == 0 {
		quoted, err := in.postForURI(context.WithValue(ctx, quoteFetchKey{}, true), q.QuotedURI)
		var status *federation.StatusError
		switch {
		case errors.As(err, &status) && (status.Code == http.StatusNotFound || status.Code == http.StatusGone):
			return QuoteDeleted, nil
		case errors.As(err, &status) && status.Permanent(),
			errors.Is(err, federation.ErrForbiddenAddress) || errors.Is(err, federation.ErrUnsupportedURL):
			return QuotePending, nil
		case err != nil:
			return "", err
		case quoted == nil:
			return QuotePending, nil
		}
		q.QuotedPostID, q.QuotedAuthorID = quoted.ID, quoted.AuthorID
		if err := store.UpdateQuote(ctx, in.DB, q); err != nil {
			return "", err
		}
	}
	quoted, err := store.PostByID(ctx, in.DB, q.QuotedPostID)
	if err != nil {
		return "", err
	}
	switch {
	case quoted == nil || quoted.Deleted != nil:
		return QuoteDeleted, nil
	case quoted.AuthorID == q.AuthorID:
		return QuoteAccepted, nil
	case quoted.Local || q.ApprovalURI == "":
		return QuotePending, nil
	}
	quotedAuthor, err := store.IdentityByID(ctx, in.DB, quoted.AuthorID)
	if err != nil || quotedAuthor == nil {
		return "", errors.Join(err, fmt.Errorf("quote %d: the quoted author is gone", q.ID))
	}
	if ap.SameHost(q.ApprovalURI, quotedAuthor.URI) != nil {
		return QuotePending, nil
	}
	signer, err := in.systemSigner(ctx)
	if err != nil {
		return "", err
	}
	auth, final, err := in.Client.GetActivity(ctx, q.ApprovalURI, signer)
	var status *federation.StatusError
	switch {
	case errors.As(err, &status) && status.Permanent():
		return QuoteRejected, nil
	case err != nil:
		return "", fmt.Errorf("fetching %s: %w", q.ApprovalURI, err)
	}
	if authorizes(auth, final, q.ApprovalURI, quotedAuthor.URI, post.URI, quoted.URI) {
		return QuoteAccepted, nil
	}
	in.Logger.Debug("quote authorization does not match", "quote", q.ID, "authorization", q.ApprovalURI)
	return QuotePending, nil
}

// authorizes tells whether a fetched document (from final) is the
// QuoteAuthorization uri of author for quoting post quoted.
func authorizes(auth ap.Object, final, uri, author, post, quoted string) bool {
	types, _ := auth["type"].([]any)
	isType := auth.Type() == "QuoteAuthorization" || slices.ContainsFunc(types, func(t any) bool { return t == "QuoteAuthorization" })
	return isType && auth.ID() == uri && ap.SameHost(uri, final) == nil &&
		auth.Ref("attributedTo") == author && auth.Ref("interactingObject") == post && auth.Ref("interactionTarget") == quoted
}
