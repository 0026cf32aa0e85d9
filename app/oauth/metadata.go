package oauth

import (
	"net/http"
	"strings"
)

// serverMetadata is RFC 8414 authorization server metadata, with the
// fields Mastodon 4.4+ serves.
type serverMetadata struct {
	Issuer                            string   `json:"issuer"`
	ServiceDocumentation              string   `json:"service_documentation"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	AppRegistrationEndpoint           string   `json:"app_registration_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
}

// metadata answers GET /.well-known/oauth-authorization-server with URLs
// on the host the request was made to, so that each domain served
// describes itself.
func (s *Server) metadata(w http.ResponseWriter, r *http.Request) {
	base := s.baseURL(r)
	grants := []string{"authorization_code", "client_credentials"}
	if s.opts.PasswordGrant {
		grants = append(grants, "password")
	}
	w.Header().Set("Cache-Control", "max-age=300")
	writeJSON(w, http.StatusOK, serverMetadata{
		Issuer:                            base + "/",
		ServiceDocumentation:              "https://docs.joinmastodon.org/",
		AuthorizationEndpoint:             base + "/oauth/authorize",
		TokenEndpoint:                     base + "/oauth/token",
		AppRegistrationEndpoint:           base + "/api/v1/apps",
		RevocationEndpoint:                base + "/oauth/revoke",
		UserinfoEndpoint:                  base + "/oauth/userinfo",
		ScopesSupported:                   AllScopes(),
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query", "fragment", "form_post"},
		CodeChallengeMethodsSupported:     []string{"S256"},
		GrantTypesSupported:               grants,
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post"},
	})
}

// baseURL is scheme://host of the request: https unless the request came
// without TLS and the public scheme is configured as http. The host comes
// from the request (the host gate has checked it names one of our
// domains), port included.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && s.opts.PublicScheme == "http" {
		scheme = "http"
	}
	return scheme + "://" + strings.ToLower(r.Host)
}
