package mastodon

import (
	"errors"
	"net/http"
	"strings"

	"pukeko/app/model"
	"pukeko/app/oauth"
	"pukeko/app/store"
)

// streamViewer is who opened a stream: a user's identity, the token's
// scopes, and the domain the request came to.
type streamViewer struct {
	identity *model.Identity
	tokenID  model.ID // checked again while the stream lasts
	scopes   oauth.Scopes
	host     string
	https    bool
}

// streamAuthError is an answer to a stream request that may not go on.
type streamAuthError struct {
	status int
	msg    string
}

// authenticateStream reads the access token of a stream request: the
// Authorization header, the access_token parameter, or (for browsers,
// which cannot set headers on a WebSocket) the Sec-WebSocket-Protocol
// header, as Mastodon's streaming server allows. Since Mastodon 4.2 every
// stream needs a user's token. It returns the viewer, and the subprotocol
// to answer with when the token came that way (a browser fails the
// connection unless the server picks one of the offered protocols).
func (a *API) authenticateStream(r *http.Request) (*streamViewer, string, *streamAuthError) {
	subprotocol := ""
	if r.Header.Get("Authorization") == "" && r.URL.Query().Get("access_token") == "" {
		if p := r.Header.Get("Sec-WebSocket-Protocol"); p != "" {
			subprotocol = strings.TrimSpace(strings.Split(p, ",")[0])
			r = r.Clone(r.Context())
			r.Header.Set("Authorization", "Bearer "+subprotocol)
		}
	}
	g, err := a.OAuth.Authenticate(r)
	switch {
	case errors.Is(err, oauth.ErrNoToken):
		return nil, "", &streamAuthError{http.StatusUnauthorized, "Missing access token"}
	case errors.Is(err, oauth.ErrInvalidToken):
		return nil, "", &streamAuthError{http.StatusUnauthorized, "Invalid access token"}
	case err != nil:
		a.Logger.Error("streaming: authenticating", "error", err)
		return nil, "", &streamAuthError{http.StatusServiceUnavailable, "Temporarily unavailable"}
	}
	if g.IdentityID == 0 {
		return nil, "", &streamAuthError{http.StatusUnauthorized, "This method requires an authenticated user"}
	}
	i, err := store.IdentityByID(r.Context(), a.In.DB, g.IdentityID)
	if err != nil {
		a.Logger.Error("streaming: loading the viewer", "error", err)
		return nil, "", &streamAuthError{http.StatusServiceUnavailable, "Temporarily unavailable"}
	}
	if i == nil || i.Deleted != nil {
		return nil, "", &streamAuthError{http.StatusUnauthorized, "Invalid access token"}
	}
	return &streamViewer{identity: i, tokenID: g.TokenID, scopes: g.Scopes, host: requestHost(r), https: r.TLS != nil}, subprotocol, nil
}
