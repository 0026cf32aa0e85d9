package oauth_test

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/oauth"
)

func TestScopesAllow(t *testing.T) {
	t.Parallel()
	cases := []struct {
		have, required string
		want           bool
	}{
		{"read", "read:statuses", true},
		{"read", "read", true},
		{"read", "write:statuses", false},
		{"read", "readx", false},
		{"write", "write:media", true},
		{"write", "read:accounts", false},
		{"follow", "write:follows", true},
		{"follow", "read:blocks", true},
		{"follow", "write:mutes", true},
		{"follow", "write:statuses", false},
		{"follow", "read:statuses", false},
		{"read:statuses", "read", false},
		{"admin:read", "admin:read:accounts", true},
		{"admin:read", "admin:write:accounts", false},
		{"read", "admin:read:accounts", false},
		{"read write", "profile", false},
		{"profile", "profile", true},
	}
	for _, c := range cases {
		sc, err := oauth.ParseScopes(c.have)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Allows(c.required); got != c.want {
			t.Errorf("%q allows %q = %v, want %v", c.have, c.required, got, c.want)
		}
	}
}

func TestParseScopes(t *testing.T) {
	t.Parallel()
	sc, err := oauth.ParseScopes(" read+write\nfollow read ")
	if err != nil || sc.String() != "read write follow" {
		t.Errorf("ParseScopes = %q, %v; want \"read write follow\"", sc, err)
	}
	for _, bad := range []string{"read fly", "READ", "read:everything", "admin"} {
		if _, err := oauth.ParseScopes(bad); err == nil {
			t.Errorf("ParseScopes(%q) accepted an unknown scope", bad)
		}
	}
	if sc, err := oauth.ParseScopes(""); err != nil || len(sc) != 0 {
		t.Errorf("ParseScopes(\"\") = %q, %v", sc, err)
	}
	all := oauth.AllScopes()
	if len(all) < 40 || all[0] != "read" {
		t.Errorf("AllScopes = %v", all)
	}
}

// Require, Optional and RequireUser against real tokens.
func TestScopeMiddleware(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read write follow", appCallback)
	readToken := e.passwordToken(t, clientID, secret, "read")
	followToken := e.passwordToken(t, clientID, secret, "follow")
	ok := okHandler()

	cases := []struct {
		name    string
		handler string
		scope   string
		token   string
		status  int
		body    string
	}{
		{"read token, write scope", "require", "write:statuses", readToken, 403, "This action is outside the authorized scopes"},
		{"read token, read:statuses", "require", "read:statuses", readToken, 200, "grant read"},
		{"read token, any of two", "require", "write:statuses read:statuses", readToken, 200, "grant read"},
		{"follow token, write:follows", "require", "write:follows", followToken, 200, "grant follow"},
		{"follow token, write:statuses", "require", "write:statuses", followToken, 403, "outside the authorized scopes"},
		{"no token", "require", "read", "", 401, "The access token is invalid"},
		{"unknown token", "require", "read", "nope", 401, "The access token is invalid"},
		{"optional, no token", "optional", "read", "", 200, "anonymous"},
		{"optional, read token", "optional", "read", readToken, 200, "grant read"},
		{"optional, unknown token", "optional", "read", "nope", 401, "The access token is invalid"},
		{"user, read token", "user", "read", readToken, 200, "grant read"},
	}
	for _, c := range cases {
		var h = e.srv.Require(c.scope, ok)
		switch c.handler {
		case "optional":
			h = e.srv.Optional(c.scope, ok)
		case "user":
			h = e.srv.RequireUser(c.scope, ok)
		}
		rec := serve(h, c.token)
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("%s: %d %q, want %d %q", c.name, rec.Code, rec.Body, c.status, c.body)
		}
		if c.status == 401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate %q, want Bearer", c.name, rec.Header().Get("WWW-Authenticate"))
		}
	}

	// The token may come as an access_token parameter (streaming clients).
	req := httptest.NewRequest("GET", "/api/v1/streaming?access_token="+url.QueryEscape(readToken), nil)
	rec := httptest.NewRecorder()
	e.srv.Require("read", ok).ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("access_token query parameter: %d", rec.Code)
	}

	// Revoked tokens stop working.
	r := e.postForm(t, nil, "/oauth/revoke", url.Values{"token": {readToken}, "client_id": {clientID}, "client_secret": {secret}})
	if r.status != 200 {
		t.Fatalf("revoke: %d", r.status)
	}
	if rec := serve(e.srv.Require("read", ok), readToken); rec.Code != 401 {
		t.Errorf("revoked token: %d, want 401", rec.Code)
	}
	// So do the tokens of a banned user.
	if _, err := e.db.Exec(t.Context(), "UPDATE users SET banned = true WHERE id = $1", e.user.ID); err != nil {
		t.Fatal(err)
	}
	if !within(2*time.Second, func() bool { return serve(e.srv.Require("follow", ok), followToken).Code == 401 }) {
		t.Errorf("banned user's token still works")
	}
}
