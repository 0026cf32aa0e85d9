package oauth_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/hosts"
	"pukeko/app/model"
	"pukeko/app/oauth"
	"pukeko/app/password"
	"pukeko/app/store"
	"pukeko/app/testkit"
)

const (
	testEmail    = "alice@example.com"
	testPassword = "correct horse battery staple"
	appCallback  = "https://app.example/callback"
)

// env is one server on loopback over a fresh database: domains a.test (the
// one every request is resolved to) and b.test, and a user owning two
// identities on a.test and one on b.test.
type env struct {
	db     *pgxpool.Pool
	srv    *oauth.Server
	ts     *httptest.Server
	domain *model.Domain
	user   *model.User
	ids    []*model.Identity // alice@a.test, alt@a.test, alice@b.test
}

func newEnv(t *testing.T, opts oauth.Options) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{db: testkit.DB(t)}
	for _, name := range []string{"a.test", "b.test"} {
		d := &model.Domain{Domain: name, Local: true, Public: true, Default: name == "a.test", SiteName: "Site " + name, SignupPolicy: model.SignupClosed}
		if err := store.CreateLocalDomain(ctx, e.db, d); err != nil {
			t.Fatal(err)
		}
		if e.domain == nil {
			e.domain = d
		}
	}
	e.user = e.addUser(t, testEmail)
	for _, h := range [][2]string{{"alice", "a.test"}, {"alt", "a.test"}, {"alice", "b.test"}} {
		i := &model.Identity{URI: "https://" + h[1] + "/@" + h[0], Local: true, Username: h[0], Domain: h[1],
			ActorType: "Person", Name: "Name of " + h[0], URL: "https://" + h[1] + "/@" + h[0]}
		if err := store.CreateLocalIdentity(ctx, e.db, i, e.user.ID); err != nil {
			t.Fatal(err)
		}
		e.ids = append(e.ids, i)
	}
	opts.DB = e.db
	if os.Getenv("PUKEKO_TEST_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if opts.PublicScheme == "" {
		opts.PublicScheme = "http"
	}
	e.srv = oauth.New(opts)
	mux := http.NewServeMux()
	e.srv.Register(mux)
	e.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(hosts.WithDomain(r.Context(), e.domain)))
	}))
	t.Cleanup(e.ts.Close)
	return e
}

// testHash is testPassword's hash, made once: argon2id is slow on purpose.
var testHash = sync.OnceValue(func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

func (e *env) addUser(t *testing.T, email string) *model.User {
	t.Helper()
	u := &model.User{Email: email, PasswordHash: testHash()}
	if err := store.CreateUser(context.Background(), e.db, u); err != nil {
		t.Fatal(err)
	}
	return u
}

// browser is an HTTP client with a cookie jar that follows redirects on
// the server but stops at any other host (the app's redirect URI).
func (e *env) browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(e.ts.URL, "http://")
	return &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if req.URL.Host != host {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.body), &m); err != nil {
		t.Fatalf("status %d, body %q is not a JSON object: %v", r.status, r.body, err)
	}
	return m
}

func do(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	if c == nil {
		c = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func newRequest(t *testing.T, method, url, contentType, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

func (e *env) postForm(t *testing.T, c *http.Client, path string, form url.Values) response {
	t.Helper()
	return do(t, c, newRequest(t, "POST", e.ts.URL+path, "application/x-www-form-urlencoded", form.Encode()))
}

func (e *env) postJSON(t *testing.T, path string, body any) response {
	t.Helper()
	b, _ := json.Marshal(body)
	return do(t, nil, newRequest(t, "POST", e.ts.URL+path, "application/json", string(b)))
}

// get requests path with an optional bearer token.
func (e *env) get(t *testing.T, path, token string) response {
	t.Helper()
	req := newRequest(t, "GET", e.ts.URL+path, "", "")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, nil, req)
}

// app registers an application and returns its client_id and secret.
func (e *env) app(t *testing.T, scopes string, redirects ...string) (string, string) {
	t.Helper()
	r := e.postJSON(t, "/api/v1/apps", map[string]any{"client_name": "Test App", "redirect_uris": redirects, "scopes": scopes})
	if r.status != 200 {
		t.Fatalf("creating an app: %d %s", r.status, r.body)
	}
	m := r.json(t)
	return m["client_id"].(string), m["client_secret"].(string)
}

// passwordToken logs in with the password grant (which must be enabled).
func (e *env) passwordToken(t *testing.T, clientID, secret, scope string) string {
	t.Helper()
	r := e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {clientID},
		"client_secret": {secret}, "username": {testEmail}, "password": {testPassword}, "scope": {scope}})
	if r.status != 200 {
		t.Fatalf("password grant: %d %s", r.status, r.body)
	}
	return r.json(t)["access_token"].(string)
}

// grantOf authenticates a token as the API middleware would.
func (e *env) grantOf(t *testing.T, token string) *oauth.Grant {
	t.Helper()
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	g, err := e.srv.Authenticate(req)
	if err != nil {
		t.Fatalf("authenticating %q: %v", token, err)
	}
	return g
}

func pkcePair() (verifier, challenge string) {
	verifier = "verifier-" + strings.Repeat("abcdefgh", 6)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

var (
	csrfField     = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	formAction    = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	identityRadio = regexp.MustCompile(`name="identity_id" value="(\d+)"`)
	regexpCode    = regexp.MustCompile(`<code class="grant" id="code">([^<]+)</code>`)
)

// form finds the CSRF token and action of the page's form.
func form(t *testing.T, page string) (csrf, action string) {
	t.Helper()
	c, a := csrfField.FindStringSubmatch(page), formAction.FindStringSubmatch(page)
	if c == nil || a == nil {
		t.Fatalf("no form with a CSRF token in page:\n%s", page)
	}
	return c[1], html.UnescapeString(a[1])
}

// logIn goes through the login form of an authorization request and
// returns the consent page.
func (e *env) logIn(t *testing.T, c *http.Client, authorize string) string {
	t.Helper()
	r := do(t, c, newRequest(t, "GET", authorize, "", ""))
	if r.status != 200 || !strings.Contains(r.body, `name="password"`) {
		t.Fatalf("authorize without a session: want the login form, got %d\n%s", r.status, r.body)
	}
	csrf, action := form(t, r.body)
	r = e.postForm(t, c, action, url.Values{"step": {"login"}, "csrf_token": {csrf}, "email": {testEmail}, "password": {testPassword}})
	if r.status != 200 || !strings.Contains(r.body, `name="decision" value="authorize"`) {
		t.Fatalf("after login: want the consent page, got %d\n%s", r.status, r.body)
	}
	return r.body
}

func (e *env) authorizeURL(clientID, redirect, scope, state, challenge string) string {
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {redirect}, "scope": {scope}, "state": {state}}
	if challenge != "" {
		q.Set("code_challenge", challenge)
		q.Set("code_challenge_method", "S256")
	}
	return e.ts.URL + "/oauth/authorize?" + q.Encode()
}

// within polls cond until it holds or d has passed, and reports whether
// it held.
func within(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(50 * time.Millisecond)
	}
}
