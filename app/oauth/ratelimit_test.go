package oauth_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/oauth"
)

// loginAttempt posts the login form of a fresh authorization page.
func (e *env) loginAttempt(t *testing.T, authorize, email, password string) response {
	t.Helper()
	b := e.browser(t)
	r := do(t, b, newRequest(t, "GET", authorize, "", ""))
	csrf, action := form(t, r.body)
	return e.postForm(t, b, action, url.Values{"step": {"login"}, "csrf_token": {csrf}, "email": {email}, "password": {password}})
}

func TestLoginRateLimitPerEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read", appCallback)
	authorize := e.authorizeURL(clientID, appCallback, "read", "", "")
	for i := 1; i <= 5; i++ {
		r := e.loginAttempt(t, authorize, testEmail, "wrong password")
		if r.status != 401 || !strings.Contains(r.body, "Invalid email or password") {
			t.Fatalf("wrong password %d: %d, want 401 with the generic message", i, r.status)
		}
	}
	// The sixth attempt in the window is refused, even with the right
	// password, and the email is compared case-insensitively.
	r := e.loginAttempt(t, authorize, strings.ToUpper(testEmail), testPassword)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Fatalf("sixth attempt: %d (Retry-After %q), want 429", r.status, r.header.Get("Retry-After"))
	}
	// Another account from the same address is not locked out (bob logs
	// in, though with no identity there is nothing to authorize).
	e.addUser(t, "bob@example.com")
	if r := e.loginAttempt(t, authorize, "bob@example.com", testPassword); r.status != 403 || !strings.Contains(r.body, "No identity yet") {
		t.Errorf("another user: %d, want the no-identity page\n%s", r.status, r.body)
	}
	// The limit is shared through the database: a second server on the
	// same database refuses too.
	other := oauth.New(oauth.Options{DB: e.db})
	if _, err := other.CheckLogin(context.Background(), "192.0.2.1", testEmail, testPassword); err != oauth.ErrTooManyAttempts {
		t.Errorf("second server: %v, want ErrTooManyAttempts", err)
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{LoginLimitPerIP: 3})
	ctx := context.Background()
	for i, email := range []string{"x@example.com", "y@example.com", "z@example.com"} {
		if _, err := e.srv.CheckLogin(ctx, "2001:db8::1", email, "nope"); err != oauth.ErrBadCredentials {
			t.Fatalf("attempt %d: %v, want ErrBadCredentials", i+1, err)
		}
	}
	// Another address of the same /64 counts as the same client.
	if _, err := e.srv.CheckLogin(ctx, "2001:db8::2", testEmail, testPassword); err != oauth.ErrTooManyAttempts {
		t.Errorf("fourth attempt from the same /64: %v, want ErrTooManyAttempts", err)
	}
	if u, err := e.srv.CheckLogin(ctx, "2001:db8:1::1", testEmail, testPassword); err != nil || u.ID != e.user.ID {
		t.Errorf("from another network: %v, %v; want the user", u, err)
	}
}

func TestBannedUserCannotLogIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{PasswordGrant: true})
	clientID, secret := e.app(t, "read", appCallback)
	if _, err := e.db.Exec(context.Background(), "UPDATE users SET banned = true WHERE id = $1", e.user.ID); err != nil {
		t.Fatal(err)
	}
	r := e.loginAttempt(t, e.authorizeURL(clientID, appCallback, "read", "", ""), testEmail, testPassword)
	if r.status != 403 || strings.Contains(r.body, `value="authorize"`) {
		t.Errorf("banned user's login: %d, want 403 and no consent page", r.status)
	}
	r = e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {clientID},
		"client_secret": {secret}, "username": {testEmail}, "password": {testPassword}})
	if r.status != 400 || r.json(t)["error"] != "invalid_grant" {
		t.Errorf("banned user's password grant: %d %s", r.status, r.body)
	}
}
