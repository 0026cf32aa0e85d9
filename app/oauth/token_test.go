package oauth_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/oauth"
)

func TestPasswordGrant(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read write follow", appCallback)
	token := e.passwordToken(t, clientID, secret, "read write")
	g := e.grantOf(t, token)
	// The first identity the consent page would offer: on the request's
	// domain, oldest first.
	if g.UserID != e.user.ID || g.IdentityID != e.ids[0].ID || g.Scopes.String() != "read write" {
		t.Errorf("grant %+v", g)
	}
	// A token acts for an identity only while the user holds it.
	if _, err := e.db.Exec(t.Context(), "DELETE FROM user_identities WHERE identity_id = $1", e.ids[0].ID); err != nil {
		t.Fatal(err)
	}
	// Changes made outside the server's own endpoints show within the
	// grant cache's second.
	if !within(2*time.Second, func() bool { return e.get(t, "/api/v1/apps/verify_credentials", token).status == 401 }) {
		t.Errorf("token for an identity the user no longer holds still works")
	}
	cases := []struct {
		name   string
		params url.Values
		status int
		err    string
	}{
		{"wrong password", url.Values{"username": {testEmail}, "password": {"nope"}}, 400, "invalid_grant"},
		{"unknown user", url.Values{"username": {"bob@example.com"}, "password": {testPassword}}, 400, "invalid_grant"},
		{"scope beyond the app's", url.Values{"username": {testEmail}, "password": {testPassword}, "scope": {"push"}}, 400, "invalid_scope"},
	}
	for _, c := range cases {
		c.params.Set("grant_type", "password")
		c.params.Set("client_id", clientID)
		c.params.Set("client_secret", secret)
		r := e.postForm(t, nil, "/oauth/token", c.params)
		if r.status != c.status || r.json(t)["error"] != c.err {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.err)
		}
	}
}

func TestPasswordGrantCanBeOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, secret := e.app(t, "read", appCallback)
	r := e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {clientID},
		"client_secret": {secret}, "username": {testEmail}, "password": {testPassword}})
	if r.status != 400 || r.json(t)["error"] != "unsupported_grant_type" {
		t.Errorf("password grant when off: %d %s, want 400 unsupported_grant_type", r.status, r.body)
	}
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, secret := e.app(t, "read write", appCallback)
	// JSON bodies work as well as forms.
	r := e.postJSON(t, "/oauth/token", map[string]string{"grant_type": "client_credentials", "client_id": clientID,
		"client_secret": secret, "scope": "read"})
	if r.status != 200 {
		t.Fatalf("client_credentials: %d %s", r.status, r.body)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", r.header.Get("Cache-Control"))
	}
	token := r.json(t)["access_token"].(string)
	g := e.grantOf(t, token)
	if g.UserID != 0 || g.User != nil || g.IdentityID != 0 || g.Scopes.String() != "read" {
		t.Errorf("app token grant %+v: want no user and no identity", g)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", token); r.status != 200 || r.json(t)["name"] != "Test App" {
		t.Errorf("verify_credentials with an app token: %d %s", r.status, r.body)
	}
	// Endpoints acting for a user refuse it, as Mastodon does.
	rec := serve(e.srv.RequireUser("read", okHandler()), token)
	if rec.Code != 422 || !strings.Contains(rec.Body.String(), "This method requires an authenticated user") {
		t.Errorf("RequireUser with an app token: %d %s", rec.Code, rec.Body)
	}
	r = e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {secret}, "scope": {"admin:read"}})
	if r.status != 400 || r.json(t)["error"] != "invalid_scope" {
		t.Errorf("scope beyond the app's: %d %s", r.status, r.body)
	}
	r = e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {"wrong"}})
	if r.status != 401 || r.json(t)["error"] != "invalid_client" {
		t.Errorf("wrong secret: %d %s", r.status, r.body)
	}
}

func TestTokensAreStoredHashed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read", appCallback)
	token := e.passwordToken(t, clientID, secret, "read")
	ctx := context.Background()
	var plain, hashed int
	if err := e.db.QueryRow(ctx, "SELECT count(*) FROM oauth_tokens t WHERE position($1 IN t::text) > 0", token).Scan(&plain); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(token))
	if err := e.db.QueryRow(ctx, "SELECT count(*) FROM oauth_tokens WHERE token_hash = $1", sum[:]).Scan(&hashed); err != nil {
		t.Fatal(err)
	}
	if plain != 0 || hashed != 1 {
		t.Errorf("rows holding the plain token: %d (want 0); holding its SHA-256: %d (want 1)", plain, hashed)
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read", appCallback)
	otherID, otherSecret := e.app(t, "read", appCallback)
	token := e.passwordToken(t, clientID, secret, "read")

	r := e.postForm(t, nil, "/oauth/revoke", url.Values{"token": {token}, "client_id": {otherID}, "client_secret": {otherSecret}})
	if r.status != 403 {
		t.Errorf("revoking another app's token: %d %s, want 403", r.status, r.body)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", token); r.status != 200 {
		t.Fatalf("the token stopped working after a refused revocation: %d", r.status)
	}
	r = e.postForm(t, nil, "/oauth/revoke", url.Values{"token": {token}, "client_id": {clientID}, "client_secret": {secret}})
	if r.status != 200 || strings.TrimSpace(r.body) != "{}" {
		t.Errorf("revoke: %d %q, want 200 {}", r.status, r.body)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", token); r.status != 401 {
		t.Errorf("revoked token: %d, want 401", r.status)
	}
	r = e.postForm(t, nil, "/oauth/revoke", url.Values{"token": {"unknown"}, "client_id": {clientID}, "client_secret": {secret}})
	if r.status != 200 {
		t.Errorf("revoking an unknown token: %d, want 200 (RFC 7009)", r.status)
	}
	r = e.postForm(t, nil, "/oauth/revoke", url.Values{"token": {token}, "client_id": {clientID}, "client_secret": {"wrong"}})
	if r.status != 401 {
		t.Errorf("revoking with a wrong secret: %d, want 401", r.status)
	}
}

func TestUserinfo(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read profile", appCallback)
	r := e.get(t, "/oauth/userinfo", e.passwordToken(t, clientID, secret, "profile"))
	if r.status != 200 {
		t.Fatalf("userinfo: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["sub"] != e.ids[0].URI || m["preferred_username"] != "alice" || m["iss"] != e.ts.URL+"/" {
		t.Errorf("userinfo %v", m)
	}
	if r := e.get(t, "/oauth/userinfo", e.passwordToken(t, clientID, secret, "read")); r.status != 403 {
		t.Errorf("userinfo without the profile scope: %d, want 403", r.status)
	}
}

func serve(h http.Handler, token string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", "/api/v1/test", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// okHandler answers 200 with the user id of the grant, or "anonymous".
func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g := oauth.GrantFrom(r.Context()); g != nil {
			w.Write([]byte("grant " + g.Scopes.String()))
			return
		}
		w.Write([]byte("anonymous"))
	})
}
