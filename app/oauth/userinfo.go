package oauth

import (
	"net/http"

	"pukeko/app/store"
)

// userinfo answers GET or POST /oauth/userinfo (Mastodon 4.4) with OpenID
// Connect claims about the token's identity: sub is its actor URI.
func (s *Server) userinfo(w http.ResponseWriter, r *http.Request) {
	g := GrantFrom(r.Context())
	i, err := store.IdentityByID(r.Context(), s.db, g.IdentityID)
	if err != nil {
		s.log.Error("oauth: userinfo", "err", err)
		apiError(w, http.StatusServiceUnavailable, "Temporarily unavailable")
		return
	}
	if i == nil {
		apiError(w, http.StatusNotFound, "Record not found")
		return
	}
	name := i.Name
	if name == "" {
		name = i.Username
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{
		"iss":                s.baseURL(r) + "/",
		"sub":                i.URI,
		"name":               name,
		"preferred_username": i.Username,
		"profile":            i.URL,
		"picture":            i.IconURI,
	})
}
