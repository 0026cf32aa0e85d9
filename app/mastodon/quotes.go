package mastodon

import (
	"errors"
	"net/http"
	"strings"

	"pukeko/app/social"
	"pukeko/app/store"
)

// Quote posts (Mastodon 4.5): the quotes of a status, revoking one, and
// who may quote a status. Quoting itself is a parameter of POST
// /api/v1/statuses (quoteInput).

// quoteNotFoundMessage is Mastodon's answer to quoting what does not
// exist, cannot be seen or may not be quoted (one 404 for all three).
const quoteNotFoundMessage = "The post you are trying to quote does not appear to exist."

func (a *API) registerQuotes(mux Mux) {
	a.route(mux, "GET /api/v1/statuses/{id}/quotes", appToken, "read read:statuses", a.statusQuotes)
	a.route(mux, "POST /api/v1/statuses/{id}/quotes/{quoting_status_id}/revoke", userToken, "write write:statuses", a.revokeQuote)
	a.route(mux, "PUT /api/v1/statuses/{id}/interaction_policy", userToken, "write write:statuses", a.statusInteractionPolicy)
}

// quoteInput reads quoted_status_id and quote_approval_policy of a new
// status into opts: the quoted status must exist, be visible to the caller
// and let them quote it (else Mastodon's 404); quoting a private post
// makes the quote private. ok is false when an answer was sent.
func (c *call) quoteInput(opts *social.PostOptions) bool {
	if policy := strings.TrimSpace(c.params.str("quote_approval_policy")); policy != "" {
		if !social.ValidQuotePolicy(policy) {
			c.invalid("Quote approval policy is not included in the list")
			return false
		}
		opts.QuotePolicy = policy
	}
	if strings.TrimSpace(c.params.str("quoted_status_id")) == "" {
		return true
	}
	if strings.TrimSpace(c.params.str("scheduled_at")) != "" {
		// Scheduled statuses keep no quote yet: refused rather than lost.
		c.invalid("Scheduled statuses cannot quote yet")
		return false
	}
	id := c.params.id("quoted_status_id")
	quoted, err := store.PostByID(c.ctx(), c.api.In.DB, id)
	if err != nil {
		c.api.fail(c, err)
		return false
	}
	if err := c.api.In.CheckQuote(c.ctx(), c.viewer, quoted); err != nil {
		if !c.quoteError(err) {
			c.api.fail(c, err)
		}
		return false
	}
	opts.Quote = quoted
	opts.Visibility = social.QuoteVisibility(quoted, opts.Visibility)
	return true
}

// quoteError answers the errors of quoting with Mastodon's status and
// text; it answers nothing and returns false for other errors.
func (c *call) quoteError(err error) bool {
	switch {
	case errors.Is(err, social.ErrQuoteNotAllowed):
		writeError(c.w, http.StatusNotFound, quoteNotFoundMessage)
	case errors.Is(err, social.ErrQuoteNotMentioned):
		writeError(c.w, http.StatusUnprocessableEntity, "Validation failed: Cannot quote a non-mentioned user in a Private Mention post.")
	case errors.Is(err, social.ErrQuotePolicy):
		c.invalid("Quote approval policy is not included in the list")
	default:
		return false
	}
	return true
}

// statusQuotes lists the statuses quoting a status with an accepted quote,
// as the caller may see them, newest first, paged by Link headers.
func (a *API) statusQuotes(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	list, err := store.QuotingPosts(c.ctx(), a.In.DB, p.ID, c.viewerID(), c.page(store.DefaultPageLimit, store.MaxPageLimit))
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderer().viewerPosts(list)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].ID), idStr(list[n-1].ID))
	}
	c.ok(out)
}

// revokeQuote is the quoted author taking back a quote of their status:
// 404 unless the status is visible and quoted by the other, 403 for anyone
// but its author. It answers the quoting status.
func (a *API) revokeQuote(c *call) {
	quoted := c.visiblePost()
	if quoted == nil {
		return
	}
	quotingID, ok := pathID(c.r, "quoting_status_id")
	if !ok {
		c.notFound()
		return
	}
	q, err := store.QuoteOfPost(c.ctx(), a.In.DB, quotingID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if q == nil || q.QuotedPostID != quoted.ID {
		c.notFound()
		return
	}
	post, err := store.PostByID(c.ctx(), a.In.DB, quotingID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if post == nil || post.Deleted != nil {
		c.notFound()
		return
	}
	if quoted.AuthorID != c.viewer.ID {
		c.errorf(http.StatusForbidden, "This action is not allowed")
		return
	}
	if err := a.In.RevokeQuote(c.ctx(), c.viewer, quoted, q); err != nil {
		c.socialError(err)
		return
	}
	c.answerOne(post)
}

// statusInteractionPolicy changes who may quote a status of the caller's
// (private and direct ones: nobody, whatever is asked); quotes made
// before stay. 403 for a visible status of someone else.
func (a *API) statusInteractionPolicy(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	if p.AuthorID != c.viewer.ID || !p.Local {
		c.errorf(http.StatusForbidden, "This action is not allowed")
		return
	}
	policy := strings.TrimSpace(c.params.str("quote_approval_policy"))
	if policy == "" {
		policy = social.QuotePolicyPublic // the default of Mastodon's setting
	}
	if err := a.In.SetQuotePolicy(c.ctx(), c.viewer, p, policy); err != nil {
		c.socialError(err)
		return
	}
	c.answerOne(p)
}
