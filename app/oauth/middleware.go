package oauth

import (
	"context"
	"errors"
	"mime"
	"net/http"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Grant is what an access token allows: the app it was issued to, the user
// and identity it acts for (both 0 and User nil for app-only tokens), and
// its scopes.
type Grant struct {
	TokenID    model.ID
	App        *model.OAuthApp
	UserID     model.ID
	User       *model.User // without the password hash
	IdentityID model.ID
	// Identity is the identity acting, loaded with the token (nil for
	// app-only tokens).
	Identity *model.Identity
	Scopes   Scopes
}

// Errors of Authenticate.
var (
	// ErrNoToken means the request carries no access token.
	ErrNoToken = errors.New("oauth: no access token")
	// ErrInvalidToken means the token is unknown, revoked, or belongs to a
	// banned user or deleted identity.
	ErrInvalidToken = errors.New("oauth: the access token is invalid")
)

// The messages Mastodon answers with.
const (
	msgInvalidToken  = "The access token is invalid"
	msgOutsideScopes = "This action is outside the authorized scopes"
	msgUserRequired  = "This method requires an authenticated user"
)

// touchEvery bounds how often a token's last_used is written.
const touchEvery = time.Minute

// Authenticate reads the access token of a request (Authorization: Bearer,
// else an access_token query or urlencoded form parameter, as Mastodon's
// streaming clients send) and returns its grant. Other errors than
// ErrNoToken and ErrInvalidToken are database failures.
func (s *Server) Authenticate(r *http.Request) (*Grant, error) {
	raw := bearerToken(r)
	if raw == "" {
		return nil, ErrNoToken
	}
	hash, now := hashSecret(raw), time.Now()
	if g := s.grants.get(hash, now); g != nil {
		return g, nil
	}
	t, identity, err := store.ActiveOAuthTokenAndIdentity(r.Context(), s.db, hash)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, ErrInvalidToken
	}
	if t.LastUsed == nil || time.Since(*t.LastUsed) > touchEvery {
		if err := store.TouchOAuthToken(r.Context(), s.db, t.ID); err != nil {
			s.log.Warn("oauth: recording token use", "err", err)
		}
	}
	g := &Grant{TokenID: t.ID, App: t.App, UserID: t.UserID, User: t.User, IdentityID: t.IdentityID, Identity: identity,
		Scopes: t.Scopes}
	s.grants.put(hash, g, now)
	return g, nil
}

func bearerToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(tok)
		}
		return ""
	}
	if t := r.URL.Query().Get("access_token"); t != "" {
		return t
	}
	// Only urlencoded bodies are read here: parsing a multipart body would
	// consume uploads the handler needs, and JSON is the handler's to read.
	if r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
			if r.ParseForm() == nil {
				return r.PostForm.Get("access_token")
			}
		}
	}
	return ""
}

type grantKey struct{}

// GrantFrom returns the grant Require, RequireUser or Optional put in ctx,
// or nil.
func GrantFrom(ctx context.Context) *Grant {
	g, _ := ctx.Value(grantKey{}).(*Grant)
	return g
}

// WithGrant returns ctx carrying g (for tests of handlers behind Require).
func WithGrant(ctx context.Context, g *Grant) context.Context {
	return context.WithValue(ctx, grantKey{}, g)
}

// Require lets through requests whose token grants any of the
// space-separated scopes (as Mastodon's doorkeeper_authorize! :read,
// :'read:statuses'; "" accepts any valid token), app-only tokens included.
// It answers 401 without a valid token and 403 without the scope.
func (s *Server) Require(scopes string, next http.Handler) http.Handler {
	return s.guard(scopes, false, false, next)
}

// RequireUser is Require for endpoints that act for a user: an app-only
// token gets 422, as in Mastodon.
func (s *Server) RequireUser(scopes string, next http.Handler) http.Handler {
	return s.guard(scopes, true, false, next)
}

// Optional serves requests without a token anonymously and those with one
// as Require(scopes) would. A token that is sent but invalid gets 401, so
// that a client learns its login has ended rather than silently seeing
// public data.
func (s *Server) Optional(scopes string, next http.Handler) http.Handler {
	return s.guard(scopes, false, true, next)
}

func (s *Server) guard(scopes string, needUser, optional bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, err := s.Authenticate(r)
		switch {
		case errors.Is(err, ErrNoToken) && optional:
			next.ServeHTTP(w, r)
			return
		case errors.Is(err, ErrNoToken):
			w.Header().Set("WWW-Authenticate", `Bearer realm="Pukeko"`)
			apiError(w, http.StatusUnauthorized, msgInvalidToken)
			return
		case errors.Is(err, ErrInvalidToken):
			w.Header().Set("WWW-Authenticate", `Bearer realm="Pukeko", error="invalid_token", error_description="`+msgInvalidToken+`"`)
			apiError(w, http.StatusUnauthorized, msgInvalidToken)
			return
		case err != nil:
			s.log.Error("oauth: authenticating a request", "err", err)
			apiError(w, http.StatusServiceUnavailable, "Temporarily unavailable")
			return
		}
		if !g.Scopes.AllowsAny(scopes) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="Pukeko", error="insufficient_scope", scope="`+scopes+`"`)
			apiError(w, http.StatusForbidden, msgOutsideScopes)
			return
		}
		if needUser && g.UserID == 0 {
			apiError(w, http.StatusUnprocessableEntity, msgUserRequired)
			return
		}
		next.ServeHTTP(w, r.WithContext(WithGrant(r.Context(), g)))
		s.forgetAfterWrite(r)
	})
}
