package oauth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// csrfCookie holds the random secret that protects forms before login
// (double-submit: a page of another site can neither read it nor, with
// SameSite=Lax, send it along with a cross-site POST).
const csrfCookie = "pukeko_csrf"

// csrfField is the form field (or X-CSRF-Token header) carrying the token.
const csrfField = "csrf_token"

const msgBadCSRF = "The form has expired or did not come from this site. Go back, reload the page and try again."

// CSRFToken returns the token a form must carry. Once logged in it is
// derived from the session token, so it dies with the session; before,
// from the pre-login cookie, which it sets when missing.
func (s *Server) CSRFToken(w http.ResponseWriter, r *http.Request) string {
	if secret := s.csrfSecret(r); secret != "" {
		return csrfFor(secret)
	}
	secret := newSecret()
	http.SetCookie(w, &http.Cookie{
		Name:     csrfCookie,
		Value:    secret,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	// Later reads in this request (a page rendering two forms) agree.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: secret})
	return csrfFor(secret)
}

// CheckCSRF reports whether a POST carries the right token, in its form
// body or an X-CSRF-Token header. It parses the form.
func (s *Server) CheckCSRF(r *http.Request) bool {
	secret := s.csrfSecret(r)
	if secret == "" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if err := r.ParseForm(); err != nil {
			return false
		}
		got = r.PostForm.Get(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(csrfFor(secret))) == 1
}

// csrfSecret is the session token when the browser has a live session,
// else the pre-login cookie, else "".
func (s *Server) csrfSecret(r *http.Request) string {
	if _, token, err := s.session(r); err == nil && token != "" {
		return token
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	return ""
}

// csrfFor derives the form token from a secret, so that the page never
// shows the secret itself (the session token must stay in its HttpOnly
// cookie).
func csrfFor(secret string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("pukeko csrf v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
