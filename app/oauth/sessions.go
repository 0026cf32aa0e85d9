package oauth

import (
	"net/http"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// sessionCookie holds a logged-in browser's session token.
const sessionCookie = "pukeko_session"

// SessionUser returns the user a browser is logged in as, or nil when it is
// not (no cookie, an unknown or expired session, a banned user).
func (s *Server) SessionUser(r *http.Request) (*model.User, error) {
	u, _, err := s.session(r)
	return u, err
}

// session returns the logged-in user and the raw session token.
func (s *Server) session(r *http.Request) (*model.User, string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, "", nil
	}
	sess, u, err := store.WebSessionUser(r.Context(), s.db, hashSecret(c.Value))
	if err != nil {
		return nil, "", err
	}
	if sess == nil || u.Banned {
		return nil, "", nil
	}
	if time.Since(sess.LastSeen) > time.Minute {
		if err := store.TouchWebSession(r.Context(), s.db, sess.ID); err != nil {
			s.log.Warn("oauth: recording session use", "err", err)
		}
	}
	return u, c.Value, nil
}

// StartSession logs a browser in as userID: a new session and its cookie,
// ending the session the browser had before (a new login must never keep
// a token someone else may have planted).
func (s *Server) StartSession(w http.ResponseWriter, r *http.Request, userID model.ID) error {
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := store.DeleteWebSession(r.Context(), s.db, hashSecret(c.Value)); err != nil {
			return err
		}
	}
	token := newSecret()
	sess := &model.WebSession{
		TokenHash: hashSecret(token),
		UserID:    userID,
		Expires:   time.Now().Add(s.opts.SessionLifetime),
		IP:        s.opts.ClientIP(r),
		UserAgent: truncate(r.UserAgent(), 500),
	}
	if err := store.CreateWebSession(r.Context(), s.db, sess); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    token,
		Path:     "/",
		MaxAge:   int(s.opts.SessionLifetime / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	// The login form's CSRF cookie has served its purpose.
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	return nil
}

// endSession deletes the browser's session, if any, and its cookie.
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return
	}
	if err := store.DeleteWebSession(r.Context(), s.db, hashSecret(c.Value)); err != nil {
		s.log.Warn("oauth: ending a session", "err", err)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

// logout ends the browser's session: POST /auth/logout with the CSRF token,
// then back to the local path in "next", or to /.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxParamsBody)
	if !s.CheckCSRF(r) {
		s.errorPage(w, r, http.StatusForbidden, "Request refused", msgBadCSRF)
		return
	}
	s.endSession(w, r)
	next := r.PostForm.Get("next")
	if !isLocalPath(next) {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// isLocalPath accepts paths on this host only: "/x", never "//host/x" or
// "/\host" (which browsers read as another host).
func isLocalPath(p string) bool {
	return strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "//") && !strings.HasPrefix(p, "/\\")
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
