package oauth

import (
	"errors"
	"net/http"
	"strconv"
)

// authorizeGet starts an authorization: GET /oauth/authorize shows the
// login form, or the consent page to a logged-in user.
func (s *Server) authorizeGet(w http.ResponseWriter, r *http.Request) {
	req, ok := s.checkAuthRequest(w, r)
	if !ok {
		return
	}
	u, token, err := s.session(r)
	if err != nil {
		s.unavailable(w, r, err)
		return
	}
	if u == nil || req.forceLogin {
		s.showLogin(w, r, req, http.StatusOK, "", "")
		return
	}
	s.showConsent(w, r, req, u, token)
}

// authorizePost receives the forms of the flow, which post back to
// /oauth/authorize with the request's query: step=login (the login form)
// or step=consent (Authorize or Deny).
func (s *Server) authorizePost(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxParamsBody)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "Bad request", "The form could not be read.")
		return
	}
	req, ok := s.checkAuthRequest(w, r)
	if !ok {
		return
	}
	if !s.CheckCSRF(r) {
		s.errorPage(w, r, http.StatusForbidden, "Request refused", msgBadCSRF)
		return
	}
	switch r.PostForm.Get("step") {
	case "login":
		s.login(w, r, req)
	case "consent":
		s.consent(w, r, req)
	default:
		s.errorPage(w, r, http.StatusBadRequest, "Bad request", "The form is not one of this page's.")
	}
}

// checkAuthRequest parses the request's query; when it fails it answers
// (a page, or an error sent to the client) and reports false.
func (s *Server) checkAuthRequest(w http.ResponseWriter, r *http.Request) (*authRequest, bool) {
	req, err := s.parseAuthRequest(r.Context(), r.URL.Query())
	var pe *pageError
	var oe *oauthError
	switch {
	case err == nil:
		return req, true
	case errors.As(err, &pe):
		s.errorPage(w, r, pe.status, "Authorization failed", pe.message)
	case errors.As(err, &oe):
		s.redirectError(w, r, req, oe)
	default:
		s.unavailable(w, r, err)
	}
	return nil, false
}

// login checks the login form and, on success, starts a session and goes
// on to the consent page (a fresh GET, so that reloading it is harmless).
func (s *Server) login(w http.ResponseWriter, r *http.Request, req *authRequest) {
	email := r.PostForm.Get("email")
	u, err := s.CheckLogin(r.Context(), s.opts.ClientIP(r), email, r.PostForm.Get("password"))
	switch {
	case errors.Is(err, ErrTooManyAttempts):
		w.Header().Set("Retry-After", strconv.Itoa(int(s.opts.LoginWindow.Seconds())))
		s.showLogin(w, r, req, http.StatusTooManyRequests, email, "Too many failed attempts. Try again in a few minutes.")
		return
	case errors.Is(err, ErrBadCredentials):
		s.showLogin(w, r, req, http.StatusUnauthorized, email, "Invalid email or password.")
		return
	case errors.Is(err, ErrBanned):
		s.showLogin(w, r, req, http.StatusForbidden, email, "This account has been suspended.")
		return
	case err != nil:
		s.unavailable(w, r, err)
		return
	}
	if err := s.StartSession(w, r, u.ID); err != nil {
		s.unavailable(w, r, err)
		return
	}
	http.Redirect(w, r, req.authorizePath(), http.StatusSeeOther)
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, req *authRequest, status int, email, problem string) {
	s.render(w, r, status, "login.html", "Log in", page{
		"AppName": req.app.Name,
		"Action":  req.authorizePath(),
		"CSRF":    s.CSRFToken(w, r),
		"Email":   email,
		"Error":   problem,
	})
}

// unavailable answers a database failure with a page.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("oauth: authorization", "err", err)
	s.errorPage(w, r, http.StatusServiceUnavailable, "Temporarily unavailable", "Something went wrong on our side. Try again in a moment.")
}
