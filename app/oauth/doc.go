// Package oauth is Pukeko's OAuth 2 server, shaped like Mastodon's so that
// Mastodon apps register and log in unchanged: app registration
// (POST /api/v1/apps), the authorization code flow with PKCE behind an HTML
// login and consent page (/oauth/authorize), the token endpoint with the
// authorization_code, client_credentials and (optionally) password grants,
// revocation, RFC 8414 metadata and OIDC-style userinfo.
//
// It also owns what the API and the web UI need from a login: bearer-token
// authentication with scope checks (Authenticate, Require, Optional,
// GrantFrom), browser sessions (SessionUser, StartSession, POST
// /auth/logout), CSRF tokens, and login rate limits shared through
// PostgreSQL.
//
// Every secret (client secret, authorization code, access token, session
// cookie) is random, shown once and stored as its SHA-256 only.
package oauth
