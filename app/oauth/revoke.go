package oauth

import (
	"net/http"

	"pukeko/app/store"
)

// revoke is RFC 7009 revocation: POST /oauth/revoke with token, client_id
// and client_secret. An unknown or already revoked token is success, as
// the RFC asks; another app's token is refused.
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	p, err := readParams(w, r)
	if err != nil {
		writeOAuthError(w, errInvalidRequest.withDescription(err.Error()))
		return
	}
	app, oe := s.authenticateClient(r, p)
	if oe != nil {
		writeOAuthError(w, oe)
		return
	}
	raw := p.Get("token")
	if raw == "" {
		writeOAuthError(w, errInvalidRequest.withDescription("The token parameter is missing."))
		return
	}
	t, err := store.OAuthTokenByHash(r.Context(), s.db, hashSecret(raw))
	if err != nil {
		s.log.Error("oauth: looking up a token to revoke", "err", err)
		writeOAuthError(w, errServer)
		return
	}
	if t != nil {
		if t.AppID != app.ID {
			writeOAuthError(w, errUnauthorizedClient)
			return
		}
		if err := store.RevokeOAuthToken(r.Context(), s.db, t.ID); err != nil {
			s.log.Error("oauth: revoking a token", "err", err)
			writeOAuthError(w, errServer)
			return
		}
		s.grants.forget(t.TokenHash)
	}
	writeJSON(w, http.StatusOK, struct{}{})
}
