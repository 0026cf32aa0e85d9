package mastodon

import (
	"errors"
	"net/http"

	"pukeko/app/email"
	"pukeko/app/oauth"
	"pukeko/app/social"
	"pukeko/app/store"
)

// msgUnconfirmed is Mastodon's answer to a user who has not confirmed
// their email address yet.
const msgUnconfirmed = "Your login is missing a confirmed e-mail address"

// unconfirmed reports whether a grant acts for a user who has not
// confirmed their email address: such a user may use the endpoints that
// need no user (and the ones below), and is answered 403 by the others,
// as in Mastodon.
func unconfirmed(g *oauth.Grant) bool { return g != nil && g.User != nil && g.User.Unconfirmed }

func (a *API) registerEmails(mux Mux) {
	// Any token: the user it acts for is checked below, confirmed or not.
	a.route(mux, "POST /api/v1/emails/confirmations", appToken, "", a.resendConfirmation)
	a.route(mux, "GET /api/v1/emails/check_confirmation", appToken, "", a.checkConfirmation)
	mux.Handle("GET /auth/confirmation", http.HandlerFunc(a.confirmationPage))
}

// resendConfirmation sends the confirmation email again, to a new
// address when email is given. Only the app the user signed up through
// may ask, and only while the user is unconfirmed (403 otherwise).
func (a *API) resendConfirmation(c *call) {
	if c.grant.UserID == 0 || c.viewer == nil {
		c.errorf(http.StatusForbidden, "This action is not allowed")
		return
	}
	err := a.In.ResendConfirmation(c.ctx(), c.grant.UserID, c.grant.App.ID, c.params.str("email"), c.viewer.Username, c.host)
	switch {
	case errors.Is(err, social.ErrConfirmationNotYours), errors.Is(err, social.ErrAlreadyConfirmed):
		c.errorf(http.StatusForbidden, "This action is not allowed")
	case errors.Is(err, social.ErrEmailInvalid):
		var v validationErrors
		v.add("email", "ERR_INVALID", "is invalid")
		v.answer(c)
	case errors.Is(err, store.ErrEmailTaken):
		var v validationErrors
		v.add("email", "ERR_TAKEN", "is already taken")
		v.answer(c)
	case err != nil:
		a.fail(c, err)
	default:
		c.ok(struct{}{})
	}
}

// checkConfirmation answers whether the caller's email address is
// confirmed (Mastodon's GET /api/v1/emails/check_confirmation).
func (a *API) checkConfirmation(c *call) {
	if c.grant.User == nil {
		c.errorf(http.StatusForbidden, "This action is not allowed")
		return
	}
	c.ok(!c.grant.User.Unconfirmed)
}

// confirmationPage opens the link of a confirmation email: the user is
// confirmed, and the page says so (or that the link is not valid, 404).
func (a *API) confirmationPage(w http.ResponseWriter, r *http.Request) {
	ok, err := a.In.ConfirmEmail(r.Context(), r.URL.Query().Get("confirmation_token"))
	if ok {
		// The user's tokens may be cached as unconfirmed.
		a.OAuth.ForgetGrants()
	}
	if err != nil {
		a.Logger.Error("api: confirming an email address", "error", err)
		http.Error(w, "Internal server error", http.StatusInternalServerError)
		return
	}
	site := requestHost(r)
	if d, err := store.LocalDomainByHost(r.Context(), a.In.DB, site); err == nil && d != nil && d.SiteName != "" {
		site = d.SiteName
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The token is in the URL: no page it links to may learn it.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Frame-Options", "DENY")
	if !ok {
		w.WriteHeader(http.StatusNotFound)
	}
	email.RenderPage(w, "confirmation", map[string]any{"Confirmed": ok, "SiteName": site})
}
