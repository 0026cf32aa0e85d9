package oauth

import (
	"context"
	"net"
	"net/url"
	"regexp"
	"slices"

	"pukeko/app/model"
	"pukeko/app/store"
)

// authRequest is a checked authorization request (RFC 6749 4.1.1).
type authRequest struct {
	app          *model.OAuthApp
	redirectURI  string
	responseMode string // query, fragment or form_post
	state        string
	scopes       Scopes
	challenge    string // PKCE S256 challenge, or ""
	method       string
	forceLogin   bool
	query        url.Values // as received, for the forms that post back
}

// pageError is a failure the user must see on our page: the request names
// no valid client or redirect URI, so nothing may be sent to that URI.
type pageError struct {
	status  int
	message string
}

func (e *pageError) Error() string { return e.message }

// s256Challenge is the shape of BASE64URL(SHA256(verifier)).
var s256Challenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// parseAuthRequest checks the parameters of /oauth/authorize. Failures come
// back as *pageError (show it), or as *oauthError together with a request
// whose app and redirect URI are valid (send the error to the client).
// Any other error is the database's.
func (s *Server) parseAuthRequest(ctx context.Context, q url.Values) (*authRequest, error) {
	clientID := q.Get("client_id")
	if clientID == "" {
		return nil, &pageError{400, "The request names no application (client_id is missing)."}
	}
	app, err := store.OAuthAppByClientID(ctx, s.db, clientID)
	if err != nil {
		return nil, err
	}
	if app == nil {
		return nil, &pageError{400, "The application is unknown: its client_id is not registered here."}
	}
	req := &authRequest{app: app, state: q.Get("state"), query: q, responseMode: "query"}
	req.redirectURI = q.Get("redirect_uri")
	if req.redirectURI == "" && len(app.RedirectURIs) == 1 {
		// RFC 6749 3.1.2.3: optional when only one is registered.
		req.redirectURI = app.RedirectURIs[0]
	}
	if !redirectRegistered(app.RedirectURIs, req.redirectURI) {
		return nil, &pageError{400, "The redirect URI is not one the application registered."}
	}

	switch m := q.Get("response_mode"); m {
	case "", "query":
	case "fragment", "form_post":
		req.responseMode = m
	default:
		return req, errInvalidRequest.withDescription("Unsupported response_mode.")
	}
	if q.Get("response_type") != "code" {
		return req, errUnsupportedResponseType
	}
	scopes, err := ParseScopes(q.Get("scope"))
	if err != nil {
		return req, errInvalidScope.withDescription("The requested scope is invalid: " + err.Error() + ".")
	}
	if len(scopes) == 0 {
		scopes = Scopes{"read"}
	}
	if !scopes.Within(app.Scopes) {
		return req, errInvalidScope.withDescription("The requested scope is not among the application's scopes.")
	}
	req.scopes = scopes

	req.challenge, req.method = q.Get("code_challenge"), q.Get("code_challenge_method")
	switch {
	case req.challenge == "" && req.method != "":
		return req, errInvalidRequest.withDescription("code_challenge_method without code_challenge.")
	case req.challenge != "" && req.method != "S256":
		// RFC 7636 makes "plain" the default; like Mastodon we accept only
		// S256, since plain protects nothing once the request is seen.
		return req, errInvalidRequest.withDescription("Only the S256 code_challenge_method is supported.")
	case req.challenge != "" && !s256Challenge.MatchString(req.challenge):
		return req, errInvalidRequest.withDescription("The code_challenge is not a base64url SHA-256 digest.")
	}
	req.forceLogin = q.Get("force_login") == "true" || q.Get("force_login") == "1"
	return req, nil
}

// redirectRegistered matches a redirect URI exactly against the registered
// ones, except that the port of a loopback IP address may differ (RFC 8252
// 7.3: native apps listen on whatever port is free).
func redirectRegistered(registered []string, uri string) bool {
	if uri == "" {
		return false
	}
	if slices.Contains(registered, uri) {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "http" || !isLoopbackIP(u.Hostname()) {
		return false
	}
	for _, reg := range registered {
		r, err := url.Parse(reg)
		if err != nil || r.Scheme != "http" || r.Hostname() != u.Hostname() {
			continue
		}
		if r.Path == u.Path && r.RawQuery == u.RawQuery {
			return true
		}
	}
	return false
}

func isLoopbackIP(host string) bool {
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// authorizePath is the form action that posts back to this request: the
// query as received, less force_login (once logged in, the user must not
// be asked again).
func (req *authRequest) authorizePath() string {
	q := url.Values{}
	for k, v := range req.query {
		if k != "force_login" {
			q[k] = v
		}
	}
	return "/oauth/authorize?" + q.Encode()
}
