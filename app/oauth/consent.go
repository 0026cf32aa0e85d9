package oauth

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"pukeko/app/hosts"
	"pukeko/app/model"
	"pukeko/app/store"
)

// identityChoice is one radio button of the consent page.
type identityChoice struct {
	ID      string
	Handle  string
	Name    string
	Checked bool
}

// showConsent asks a logged-in user whether to let the app act, and as
// which of their identities. Unlike Mastodon it asks every time, even when
// the app holds a token already: the identity may differ.
func (s *Server) showConsent(w http.ResponseWriter, r *http.Request, req *authRequest, u *model.User, sessionToken string) {
	ids, err := s.offeredIdentities(r.Context(), u.ID)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	if len(ids) == 0 {
		s.errorPage(w, r, http.StatusForbidden, "No identity yet",
			"Your account has no identity (@name@domain) on this server, so there is nothing an application could act as.")
		return
	}
	choices := make([]identityChoice, len(ids))
	for i, id := range ids {
		choices[i] = identityChoice{ID: strconv.FormatInt(int64(id.ID), 10), Handle: id.Handle(), Name: id.Name, Checked: i == 0}
	}
	website := ""
	if u, err := url.Parse(req.app.Website); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		website = req.app.Website
	}
	s.render(w, r, http.StatusOK, "consent.html", "Authorize "+req.app.Name, page{
		"AppName":    req.app.Name,
		"AppWebsite": website,
		"Scopes":     req.scopes.describe(),
		"Identities": choices,
		"CSRF":       csrfFor(sessionToken),
		"Action":     req.authorizePath(),
		"UserEmail":  u.Email,
	})
}

// consent handles Authorize or Deny: a single-use code for the chosen
// identity, or access_denied, sent back to the app.
func (s *Server) consent(w http.ResponseWriter, r *http.Request, req *authRequest) {
	u, _, err := s.session(r)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	if u == nil { // the session ended meanwhile: log in again
		http.Redirect(w, r, req.authorizePath(), http.StatusSeeOther)
		return
	}
	if r.PostForm.Get("decision") != "authorize" {
		s.redirectError(w, r, req, errAccessDenied)
		return
	}
	ids, err := s.offeredIdentities(r.Context(), u.ID)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	var chosen *model.Identity
	for _, id := range ids {
		if strconv.FormatInt(int64(id.ID), 10) == r.PostForm.Get("identity_id") {
			chosen = id
		}
	}
	if chosen == nil {
		s.errorPage(w, r, http.StatusBadRequest, "Authorization failed", "Choose one of your identities.")
		return
	}
	code := newSecret()
	err = store.CreateAuthorizationCode(r.Context(), s.db, &model.AuthorizationCode{
		CodeHash:            hashSecret(code),
		AppID:               req.app.ID,
		UserID:              u.ID,
		IdentityID:          chosen.ID,
		Scopes:              req.scopes,
		RedirectURI:         req.redirectURI,
		CodeChallenge:       req.challenge,
		CodeChallengeMethod: req.method,
		Expires:             time.Now().Add(codeLifetime),
	})
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	s.redirectBack(w, r, req, url.Values{"code": {code}})
}

// offeredIdentities are the identities a user may authorize an app for on
// the current domain: theirs on that domain, or when they have none there
// (or the domain is unknown) all of theirs. Mastodon has one account per
// domain; a user here may hold several identities on one domain, or only
// identities elsewhere, and should still be able to log in.
func (s *Server) offeredIdentities(ctx context.Context, userID model.ID) ([]*model.Identity, error) {
	all, err := store.AuthorizableIdentities(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	d := hosts.Domain(ctx)
	if d == nil {
		return all, nil
	}
	var here []*model.Identity
	for _, i := range all {
		if i.Domain == d.Domain {
			here = append(here, i)
		}
	}
	if len(here) == 0 {
		return all, nil
	}
	return here, nil
}
