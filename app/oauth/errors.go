package oauth

import (
	"encoding/json"
	"net/http"
)

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError writes Mastodon's error entity: {"error": message}.
func apiError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// oauthError is an RFC 6749 error: a code from the RFC, a sentence for
// people, and the HTTP status it goes out with from the token endpoint.
type oauthError struct {
	Code        string
	Description string
	Status      int
}

func (e *oauthError) Error() string { return e.Code + ": " + e.Description }

// The errors of RFC 6749 sections 4.1.2.1 and 5.2, worded like Mastodon's
// (Doorkeeper's) descriptions.
var (
	errInvalidRequest = &oauthError{"invalid_request",
		"The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.", http.StatusBadRequest}
	errInvalidClient = &oauthError{"invalid_client",
		"Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.", http.StatusUnauthorized}
	errInvalidGrant = &oauthError{"invalid_grant",
		"The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.", http.StatusBadRequest}
	errUnsupportedGrantType = &oauthError{"unsupported_grant_type",
		"The authorization grant type is not supported by the authorization server.", http.StatusBadRequest}
	errInvalidScope = &oauthError{"invalid_scope",
		"The requested scope is invalid, unknown, or malformed.", http.StatusBadRequest}
	errUnsupportedResponseType = &oauthError{"unsupported_response_type",
		"The authorization server does not support this response type.", http.StatusBadRequest}
	errAccessDenied = &oauthError{"access_denied",
		"The resource owner or authorization server denied the request.", http.StatusForbidden}
	errUnauthorizedClient = &oauthError{"unauthorized_client",
		"You are not authorized to revoke this token.", http.StatusForbidden}
	errServer = &oauthError{"server_error",
		"The authorization server encountered an unexpected condition which prevented it from fulfilling the request.", http.StatusInternalServerError}
	errTooManyAttempts = &oauthError{"invalid_grant",
		"Too many failed login attempts. Try again in a few minutes.", http.StatusTooManyRequests}
)

// withDescription returns a copy of e with a more precise description.
func (e *oauthError) withDescription(d string) *oauthError {
	c := *e
	c.Description = d
	return &c
}

// writeOAuthError answers the token and revocation endpoints with an RFC
// 6749 error body.
func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	w.Header().Set("Cache-Control", "no-store")
	if e.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="Pukeko"`)
	}
	writeJSON(w, e.Status, map[string]string{"error": e.Code, "error_description": e.Description})
}
