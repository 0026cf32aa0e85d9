package oauth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"mime/multipart"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"pukeko/app/oauth"
)

func TestCreateAppJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	r := e.postJSON(t, "/api/v1/apps", map[string]any{
		"client_name":   "Ivory",
		"redirect_uris": []string{"ivory://callback", "https://app.example/cb"},
		"scopes":        "read write push",
		"website":       "https://tapbots.com/ivory/",
	})
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if got := r.header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("Access-Control-Allow-Origin = %q, want *", got)
	}
	m := r.json(t)
	if _, err := strconv.ParseInt(m["id"].(string), 10, 64); err != nil {
		t.Errorf("id %v is not a numeric string", m["id"])
	}
	want := map[string]any{
		"name":                     "Ivory",
		"website":                  "https://tapbots.com/ivory/",
		"scopes":                   []any{"read", "write", "push"},
		"redirect_uri":             "ivory://callback\nhttps://app.example/cb",
		"redirect_uris":            []any{"ivory://callback", "https://app.example/cb"},
		"client_secret_expires_at": float64(0),
		"vapid_key":                "",
	}
	for k, v := range want {
		if !reflect.DeepEqual(m[k], v) {
			t.Errorf("%s = %#v, want %#v", k, m[k], v)
		}
	}
	id, secret := m["client_id"].(string), m["client_secret"].(string)
	if len(id) != 43 || len(secret) != 43 || id == secret {
		t.Errorf("client_id %q and client_secret %q: want two different 43-character secrets", id, secret)
	}
	// Only the secret's hash is kept.
	var stored []byte
	if err := e.db.QueryRow(context.Background(), "SELECT client_secret_hash FROM oauth_apps WHERE client_id = $1", id).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256([]byte(secret)); !bytes.Equal(stored, sum[:]) {
		t.Errorf("stored secret hash %x is not the SHA-256 of the secret", stored)
	}
}

func TestCreateAppForm(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	cases := []struct {
		name string
		form url.Values
		uris []any
	}{
		{"string with newlines", url.Values{"client_name": {"Tusky"}, "redirect_uris": {"tusky://oauth\nurn:ietf:wg:oauth:2.0:oob"}},
			[]any{"tusky://oauth", "urn:ietf:wg:oauth:2.0:oob"}},
		{"string with spaces", url.Values{"client_name": {"toot"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob  https://x.example/cb"}},
			[]any{"urn:ietf:wg:oauth:2.0:oob", "https://x.example/cb"}},
		{"Rails array", url.Values{"client_name": {"Elk"}, "redirect_uris[]": {"https://elk.zone/cb", "https://elk.zone/cb2"}},
			[]any{"https://elk.zone/cb", "https://elk.zone/cb2"}},
	}
	for _, c := range cases {
		r := e.postForm(t, nil, "/api/v1/apps", c.form)
		if r.status != 200 {
			t.Errorf("%s: status %d: %s", c.name, r.status, r.body)
			continue
		}
		m := r.json(t)
		if !reflect.DeepEqual(m["redirect_uris"], c.uris) {
			t.Errorf("%s: redirect_uris = %#v, want %#v", c.name, m["redirect_uris"], c.uris)
		}
		if !reflect.DeepEqual(m["scopes"], []any{"read"}) {
			t.Errorf("%s: scopes = %#v, want the default [read]", c.name, m["scopes"])
		}
		if m["website"] != nil {
			t.Errorf("%s: website = %#v, want null", c.name, m["website"])
		}
	}
}

func TestCreateAppMultipart(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("client_name", "Mastodon.py app")
	mw.WriteField("redirect_uris", "urn:ietf:wg:oauth:2.0:oob")
	mw.WriteField("scopes", "read write follow")
	mw.Close()
	r := do(t, nil, newRequest(t, "POST", e.ts.URL+"/api/v1/apps/", mw.FormDataContentType(), body.String()))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	m := r.json(t)
	if m["name"] != "Mastodon.py app" || !reflect.DeepEqual(m["scopes"], []any{"read", "write", "follow"}) ||
		m["redirect_uri"] != "urn:ietf:wg:oauth:2.0:oob" {
		t.Errorf("got %v", m)
	}
}

func TestCreateAppValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	cases := []struct {
		name string
		body map[string]any
		want string
	}{
		{"no client_name", map[string]any{"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "Application name can't be blank"},
		{"blank client_name", map[string]any{"client_name": "  ", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "Application name can't be blank"},
		{"long client_name", map[string]any{"client_name": strings.Repeat("x", 61), "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "too long"},
		{"unknown scope", map[string]any{"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read fly"}, "Scopes"},
		{"no redirect", map[string]any{"client_name": "x"}, "Redirect URI can't be blank"},
		{"relative redirect", map[string]any{"client_name": "x", "redirect_uris": "/callback"}, "absolute URI"},
		{"fragment", map[string]any{"client_name": "x", "redirect_uris": "https://a.example/cb#frag"}, "fragment"},
		{"javascript", map[string]any{"client_name": "x", "redirect_uris": "javascript:alert(1)"}, "Redirect URI"},
		{"bad website", map[string]any{"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "website": "ftp://x"}, "website"},
	}
	for _, c := range cases {
		r := e.postJSON(t, "/api/v1/apps", c.body)
		if r.status != 422 {
			t.Errorf("%s: status %d, want 422 (%s)", c.name, r.status, r.body)
			continue
		}
		msg, _ := r.json(t)["error"].(string)
		if !strings.HasPrefix(msg, "Validation failed: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want \"Validation failed: ...%s...\"", c.name, msg, c.want)
		}
	}
	var n int
	e.db.QueryRow(context.Background(), "SELECT count(*) FROM oauth_apps").Scan(&n)
	if n != 0 {
		t.Errorf("%d apps stored after refused registrations", n)
	}
}

func TestVerifyAppCredentials(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	id, secret := e.app(t, "read write", appCallback)
	r := e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}})
	if r.status != 200 {
		t.Fatalf("client_credentials: %d %s", r.status, r.body)
	}
	token := r.json(t)["access_token"].(string)
	r = e.get(t, "/api/v1/apps/verify_credentials", token)
	if r.status != 200 {
		t.Fatalf("verify_credentials: %d %s", r.status, r.body)
	}
	m := r.json(t)
	if m["name"] != "Test App" || m["client_secret"] != nil || m["client_id"] != nil ||
		!reflect.DeepEqual(m["scopes"], []any{"read", "write"}) || m["redirect_uri"] != appCallback {
		t.Errorf("verify_credentials = %v", m)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", ""); r.status != 401 {
		t.Errorf("without a token: %d, want 401", r.status)
	}
}
