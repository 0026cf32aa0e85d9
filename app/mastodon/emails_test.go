package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/email/emailtest"
	"pukeko/app/store"
)

// signUp signs kiwi up through app (with the test password) and returns
// a client with the token answered.
func signUp(t *testing.T, s *server, app *client, username, address string) *client {
	t.Helper()
	var tok map[string]any
	app.json("POST", "/api/v1/accounts", url.Values{"username": {username}, "email": {address}, "password": {testPassword},
		"agreement": {"true"}, "locale": {"en"}}, &tok)
	c := s.anonymous()
	c.token = tok["access_token"].(string)
	return c
}

// openLink GETs a link of an email from the server it points to.
func openLink(t *testing.T, s *server, link string) (int, string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Host != s.domain {
		t.Fatalf("link %q does not point to %s", link, s.domain)
	}
	status, body := s.anonymous().do("GET", u.RequestURI(), nil)
	return status, string(body)
}

// Signing up when the server sends email: the app gets its token, but
// the user is answered 403 until they open the link of the confirmation
// email; only the signing app may have it sent again (to a new address
// too), and only while unconfirmed.
func TestEmailConfirmation(t *testing.T) {
	t.Parallel()
	sink := emailtest.Start(t, emailtest.Options{})
	s := startServer(t, "a.test", nil, append(sink.Env(), "PUKEKO_EMAIL_FROM=Birds <noreply@a.test>")...)
	s.user("taken", "")
	sink.None(100 * time.Millisecond) // users made by an administrator need no confirmation
	app := s.acctApp("read write follow")
	kiwi := signUp(t, s, app, "kiwi", "kiwi@example.com")

	status, body := kiwi.do("GET", "/api/v1/accounts/verify_credentials", nil)
	if status != http.StatusForbidden || obj(t, body)["error"] != "Your login is missing a confirmed e-mail address" {
		t.Fatalf("an unconfirmed user's credentials: %d %s", status, body)
	}
	if status, _ := kiwi.do("GET", "/api/v1/timelines/home", nil); status != http.StatusForbidden {
		t.Fatalf("an unconfirmed user's home: %d", status)
	}
	if status, _ := kiwi.do("GET", "/api/v1/timelines/public", nil); status != http.StatusOK {
		t.Fatalf("public timeline with an unconfirmed user's token: %d", status)
	}
	var confirmed bool
	kiwi.json("GET", "/api/v1/emails/check_confirmation", nil, &confirmed)
	if confirmed {
		t.Fatal("check_confirmation: true before confirming")
	}

	m := sink.Next()
	if m.To[0] != "kiwi@example.com" || m.From != "noreply@a.test" || !strings.Contains(m.Header("Subject"), "Confirm your email address") {
		t.Fatalf("the confirmation email: %s -> %v: %s", m.From, m.To, m.Header("Subject"))
	}
	first := m.Link("/auth/confirmation?confirmation_token=")
	if first == "" || !strings.Contains(m.HTML, `href="`+first+`"`) || !strings.Contains(m.Text, "@kiwi@a.test") {
		t.Fatalf("the confirmation email's link %q in:\n%s\n%s", first, m.Text, m.HTML)
	}

	// Only the app kiwi signed up through may have the email sent again.
	if status, _ := app.do("POST", "/api/v1/emails/confirmations", nil); status != http.StatusForbidden {
		t.Fatalf("resending with an app token: %d", status)
	}
	other := s.anonymous()
	other.token = other.login("kiwi@example.com", "read")
	if status, _ := other.do("POST", "/api/v1/emails/confirmations", nil); status != http.StatusForbidden {
		t.Fatalf("resending through another app: %d", status)
	}
	for address, code := range map[string]string{"not an address": "ERR_INVALID", "taken@a.test.example": "ERR_TAKEN"} {
		status, body := kiwi.do("POST", "/api/v1/emails/confirmations", map[string]any{"email": address})
		if status != http.StatusUnprocessableEntity || !strings.Contains(string(body), code) {
			t.Fatalf("resending to %q: %d %s", address, status, body)
		}
	}
	sink.None(100 * time.Millisecond)
	kiwi.json("POST", "/api/v1/emails/confirmations", map[string]any{"email": "kiwi@new.example"}, nil)
	m = sink.Next()
	second := m.Link("/auth/confirmation?confirmation_token=")
	if m.To[0] != "kiwi@new.example" || second == "" || second == first {
		t.Fatalf("the email sent again: to %v, link %q", m.To, second)
	}

	// The first link was replaced; the second confirms, once.
	if status, page := openLink(t, s, first); status != http.StatusNotFound || !strings.Contains(page, "not valid") {
		t.Fatalf("a replaced link: %d %s", status, page)
	}
	if status, page := openLink(t, s, second); status != http.StatusOK || !strings.Contains(page, "is confirmed") {
		t.Fatalf("the link: %d %s", status, page)
	}
	if status, _ := openLink(t, s, second); status != http.StatusNotFound {
		t.Fatalf("a link opened twice: %d", status)
	}
	var me map[string]any
	kiwi.json("GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["username"] != "kiwi" {
		t.Fatalf("a confirmed user's credentials: %v", me)
	}
	kiwi.json("GET", "/api/v1/emails/check_confirmation", nil, &confirmed)
	if !confirmed {
		t.Fatal("check_confirmation: false after confirming")
	}
	if u, err := store.UserByEmail(context.Background(), s.DB, "kiwi@new.example"); err != nil || u == nil {
		t.Fatalf("the confirmed address did not become kiwi's: %v, %v", u, err)
	}
	if status, body := kiwi.do("POST", "/api/v1/emails/confirmations", nil); status != http.StatusForbidden {
		t.Fatalf("resending once confirmed: %d %s", status, body)
	}
	sink.None(100 * time.Millisecond)
}

// Without email, or with signup.confirm_email off, sign-ups need no
// confirmation and nothing is sent.
func TestEmailConfirmationOff(t *testing.T) {
	t.Parallel()
	sink := emailtest.Start(t, emailtest.Options{})
	for name, env := range map[string][]string{
		"no email":         nil,
		"confirmation off": append(sink.Env(), "PUKEKO_SIGNUP_CONFIRM_EMAIL=false"),
	} {
		s := startServer(t, "a.test", nil, env...)
		kiwi := signUp(t, s, s.acctApp("read write"), "kiwi", "kiwi@example.com")
		kiwi.json("GET", "/api/v1/accounts/verify_credentials", nil, nil)
		if status, _ := kiwi.do("POST", "/api/v1/emails/confirmations", nil); status != http.StatusForbidden {
			t.Fatalf("%s: resending for a confirmed user: %d", name, status)
		}
	}
	sink.None(300 * time.Millisecond)
}
