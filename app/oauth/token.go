package oauth

import (
	"context"
	"net/http"
	"net/url"

	"pukeko/app/model"
	"pukeko/app/store"
)

// tokenResponse is Mastodon's Token entity.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	Scope       string `json:"scope"`
	CreatedAt   int64  `json:"created_at"`
}

// token is the token endpoint: POST /oauth/token with grant_type
// authorization_code, client_credentials or (when enabled) password.
// Mastodon's tokens never expire, so there is no refresh_token grant.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(w, r)
	if err != nil {
		writeOAuthError(w, errInvalidRequest.withDescription(err.Error()))
		return
	}
	var grant func(context.Context, *http.Request, url.Values, *model.OAuthApp) (*model.OAuthToken, string, *oauthError)
	switch p.Get("grant_type") {
	case "authorization_code":
		grant = s.grantCode
	case "client_credentials":
		grant = s.grantClient
	case "password":
		if s.opts.PasswordGrant {
			grant = s.grantPassword
		}
	case "":
		writeOAuthError(w, errInvalidRequest.withDescription("The grant_type parameter is missing."))
		return
	}
	if grant == nil {
		writeOAuthError(w, errUnsupportedGrantType)
		return
	}
	app, oe := s.authenticateClient(r, p)
	if oe != nil {
		writeOAuthError(w, oe)
		return
	}
	t, raw, oe := grant(r.Context(), r, p, app)
	if oe != nil {
		writeOAuthError(w, oe)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: raw,
		TokenType:   "Bearer",
		Scope:       Scopes(t.Scopes).String(),
		CreatedAt:   t.Created.Unix(),
	})
}

// authenticateClient finds the app from client_id and client_secret, sent
// in the body (client_secret_post) or as HTTP Basic (client_secret_basic).
func (s *Server) authenticateClient(r *http.Request, p url.Values) (*model.OAuthApp, *oauthError) {
	id, secret := p.Get("client_id"), p.Get("client_secret")
	if user, pass, ok := r.BasicAuth(); ok {
		// RFC 6749 2.3.1: both parts are form-urlencoded first.
		if u, err := url.QueryUnescape(user); err == nil {
			id = u
		}
		if pw, err := url.QueryUnescape(pass); err == nil {
			secret = pw
		}
	}
	if id == "" || secret == "" {
		return nil, errInvalidClient
	}
	app, err := store.OAuthAppByClientID(r.Context(), s.db, id)
	if err != nil {
		s.log.Error("oauth: looking up a client", "err", err)
		return nil, errServer
	}
	if app == nil || !secretMatches(secret, app.ClientSecretHash) {
		return nil, errInvalidClient
	}
	return app, nil
}

// issueToken stores a new token for app and returns it with its raw value.
func (s *Server) issueToken(ctx context.Context, db store.DB, t *model.OAuthToken) (string, *oauthError) {
	raw := newSecret()
	t.TokenHash = hashSecret(raw)
	if err := store.CreateOAuthToken(ctx, db, t); err != nil {
		s.log.Error("oauth: issuing a token", "err", err)
		return "", errServer
	}
	return raw, nil
}

// requestedScopes reads the scope parameter of the client_credentials and
// password grants: "read" by default, and within the app's scopes.
func requestedScopes(p url.Values, app *model.OAuthApp) (Scopes, *oauthError) {
	sc, err := ParseScopes(p.Get("scope"))
	if err != nil {
		return nil, errInvalidScope.withDescription("The requested scope is invalid: " + err.Error() + ".")
	}
	if len(sc) == 0 {
		sc = Scopes{"read"}
	}
	if !sc.Within(app.Scopes) {
		return nil, errInvalidScope.withDescription("The requested scope is not among the application's scopes.")
	}
	return sc, nil
}
