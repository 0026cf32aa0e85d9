package oauth_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pukeko/app/oauth"
)

// The whole code flow with PKCE, as a Mastodon app and a browser drive it.
func TestCodeFlowWithPKCE(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, secret := e.app(t, "read write follow push", appCallback)
	verifier, challenge := pkcePair()
	b := e.browser(t)
	authorize := e.authorizeURL(clientID, appCallback, "read write:statuses", "xyz", challenge)

	// The login form refuses a post without its CSRF token.
	r := do(t, b, newRequest(t, "GET", authorize, "", ""))
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Error("the authorize page must not be open to other origins")
	}
	_, action := form(t, r.body)
	r = e.postForm(t, b, action, url.Values{"step": {"login"}, "email": {testEmail}, "password": {testPassword}})
	if r.status != 403 {
		t.Fatalf("login without CSRF token: %d, want 403", r.status)
	}
	r = e.postForm(t, b, action, url.Values{"step": {"login"}, "csrf_token": {"forged"}, "email": {testEmail}, "password": {testPassword}})
	if r.status != 403 {
		t.Fatalf("login with a wrong CSRF token: %d, want 403", r.status)
	}

	consent := e.logIn(t, b, authorize)
	for _, want := range []string{"Test App", "Publish posts", "Read all your account", "@alice@a.test", "@alt@a.test"} {
		if !strings.Contains(consent, want) {
			t.Errorf("consent page lacks %q", want)
		}
	}
	if strings.Contains(consent, "@alice@b.test") {
		t.Error("consent page offers an identity of another domain")
	}
	radios := identityRadio.FindAllStringSubmatch(consent, -1)
	if len(radios) != 2 || radios[1][1] != strconv.FormatInt(int64(e.ids[1].ID), 10) {
		t.Fatalf("identity choices %v, want alice then alt", radios)
	}
	csrf, action := form(t, consent)

	r = e.postForm(t, b, action, url.Values{"step": {"consent"}, "decision": {"authorize"}, "identity_id": {radios[1][1]}})
	if r.status != 403 {
		t.Fatalf("consent without CSRF token: %d, want 403", r.status)
	}
	r = e.postForm(t, b, action, url.Values{"step": {"consent"}, "csrf_token": {csrf}, "decision": {"authorize"}, "identity_id": {radios[1][1]}})
	if r.status != 302 {
		t.Fatalf("consent: %d, want a redirect\n%s", r.status, r.body)
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil || loc.Scheme+"://"+loc.Host+loc.Path != appCallback {
		t.Fatalf("redirected to %q, want %s", r.header.Get("Location"), appCallback)
	}
	code := loc.Query().Get("code")
	if loc.Query().Get("state") != "xyz" || len(code) != 43 {
		t.Fatalf("redirect query %q: want state=xyz and a code", loc.RawQuery)
	}

	exchange := func(verifier string) response {
		return e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {code},
			"client_id": {clientID}, "client_secret": {secret}, "redirect_uri": {appCallback}, "code_verifier": {verifier}})
	}
	other, _ := pkcePair()
	r = exchange(other[:len(other)-1] + "x")
	if r.status != 400 || r.json(t)["error"] != "invalid_grant" {
		t.Fatalf("wrong verifier: %d %s, want 400 invalid_grant", r.status, r.body)
	}
	r = exchange("")
	if r.status != 400 || r.json(t)["error"] != "invalid_grant" {
		t.Fatalf("no verifier: %d %s, want 400 invalid_grant", r.status, r.body)
	}
	r = exchange(verifier)
	if r.status != 200 {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	tok := r.json(t)
	token, _ := tok["access_token"].(string)
	if tok["token_type"] != "Bearer" || tok["scope"] != "read write:statuses" || len(token) != 43 {
		t.Errorf("token response %v", tok)
	}
	if created, _ := tok["created_at"].(float64); time.Since(time.Unix(int64(created), 0)).Abs() > time.Minute {
		t.Errorf("created_at %v is not now", tok["created_at"])
	}
	g := e.grantOf(t, token)
	if g.IdentityID != e.ids[1].ID || g.UserID != e.user.ID || g.User == nil || g.User.Email != testEmail ||
		g.Scopes.String() != "read write:statuses" || g.App.ClientID != clientID {
		t.Errorf("grant %+v: want identity %d of user %d", g, e.ids[1].ID, e.user.ID)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", token); r.status != 200 {
		t.Fatalf("the new token does not work: %d", r.status)
	}

	// A second exchange fails and revokes what the first one issued.
	r = exchange(verifier)
	if r.status != 400 || r.json(t)["error"] != "invalid_grant" {
		t.Fatalf("reused code: %d %s, want 400 invalid_grant", r.status, r.body)
	}
	if r := e.get(t, "/api/v1/apps/verify_credentials", token); r.status != 401 {
		t.Errorf("token of a replayed code: %d, want 401", r.status)
	}
}

func TestCodeFlowChecksTheExchange(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, secret := e.app(t, "read", appCallback, "https://app.example/other")
	otherID, otherSecret := e.app(t, "read", appCallback)
	code := e.approve(t, e.authorizeURL(clientID, appCallback, "read", "", ""), 0)

	base := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {clientID},
		"client_secret": {secret}, "redirect_uri": {appCallback}}
	with := func(k, v string) url.Values {
		p := url.Values{}
		for key, vs := range base {
			p[key] = vs
		}
		p.Set(k, v)
		return p
	}
	cases := []struct {
		name   string
		params url.Values
		status int
		err    string
	}{
		{"other redirect_uri", with("redirect_uri", "https://app.example/other"), 400, "invalid_grant"},
		{"code of another app", func() url.Values { p := with("client_id", otherID); p.Set("client_secret", otherSecret); return p }(), 400, "invalid_grant"},
		{"client id of another app", with("client_id", otherID), 401, "invalid_client"},
		{"wrong secret", with("client_secret", "nope"), 401, "invalid_client"},
		{"verifier without challenge", with("code_verifier", strings.Repeat("a", 43)), 400, "invalid_grant"},
		{"unknown code", with("code", "nope"), 400, "invalid_grant"},
		{"refresh_token", with("grant_type", "refresh_token"), 400, "unsupported_grant_type"},
	}
	for _, c := range cases {
		r := e.postForm(t, nil, "/oauth/token", c.params)
		if r.status != c.status || r.json(t)["error"] != c.err {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.status, r.body, c.status, c.err)
		}
	}
	// The code survived the failed attempts; HTTP Basic client auth works.
	p := with("client_secret", "")
	p.Del("client_id")
	req := newRequest(t, "POST", e.ts.URL+"/oauth/token", "application/x-www-form-urlencoded", p.Encode())
	req.SetBasicAuth(clientID, secret)
	if r := do(t, nil, req); r.status != 200 {
		t.Errorf("exchange with HTTP Basic: %d %s", r.status, r.body)
	}
}

// approve logs in, consents for identity ids[which] and returns the code.
func (e *env) approve(t *testing.T, authorize string, which int) string {
	t.Helper()
	c := e.browser(t)
	consent := e.logIn(t, c, authorize)
	csrf, action := form(t, consent)
	r := e.postForm(t, c, action, url.Values{"step": {"consent"}, "csrf_token": {csrf}, "decision": {"authorize"},
		"identity_id": {strconv.FormatInt(int64(e.ids[which].ID), 10)}})
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != 302 || err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("consent: %d %q", r.status, r.header.Get("Location"))
	}
	return loc.Query().Get("code")
}

func TestDenyRedirectsWithAccessDenied(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read", appCallback)
	b := e.browser(t)
	consent := e.logIn(t, b, e.authorizeURL(clientID, appCallback, "read", "s1", ""))
	csrf, action := form(t, consent)
	r := e.postForm(t, b, action, url.Values{"step": {"consent"}, "csrf_token": {csrf}, "decision": {"deny"}})
	loc, _ := url.Parse(r.header.Get("Location"))
	if r.status != 302 || loc == nil || loc.Query().Get("error") != "access_denied" || loc.Query().Get("state") != "s1" ||
		loc.Query().Get("code") != "" {
		t.Errorf("deny: %d %q, want a redirect with error=access_denied&state=s1", r.status, r.header.Get("Location"))
	}
}

func TestOutOfBandShowsTheCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	const oob = "urn:ietf:wg:oauth:2.0:oob"
	clientID, secret := e.app(t, "read write", oob)
	b := e.browser(t)
	consent := e.logIn(t, b, e.authorizeURL(clientID, oob, "read", "", ""))
	csrf, action := form(t, consent)
	r := e.postForm(t, b, action, url.Values{"step": {"consent"}, "csrf_token": {csrf}, "decision": {"authorize"},
		"identity_id": {strconv.FormatInt(int64(e.ids[0].ID), 10)}})
	if r.status != 200 || r.header.Get("Location") != "" {
		t.Fatalf("oob consent: %d %q, want a page", r.status, r.header.Get("Location"))
	}
	m := regexpCode.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no code on the page:\n%s", r.body)
	}
	r = e.postForm(t, nil, "/oauth/token", url.Values{"grant_type": {"authorization_code"}, "code": {m[1]},
		"client_id": {clientID}, "client_secret": {secret}, "redirect_uri": {oob}})
	if r.status != 200 {
		t.Fatalf("exchanging the shown code: %d %s", r.status, r.body)
	}
	if g := e.grantOf(t, r.json(t)["access_token"].(string)); g.IdentityID != e.ids[0].ID {
		t.Errorf("identity %d, want %d", g.IdentityID, e.ids[0].ID)
	}
}

func TestAuthorizeRequestErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read write", appCallback)
	cases := []struct {
		name     string
		query    url.Values
		status   int
		errParam string // error sent back to the app; "" for a page
	}{
		{"unknown client", url.Values{"response_type": {"code"}, "client_id": {"nope"}, "redirect_uri": {appCallback}}, 400, ""},
		{"unregistered redirect", url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"https://evil.example/cb"}}, 400, ""},
		{"unknown scope", url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {appCallback}, "scope": {"read fly"}}, 302, "invalid_scope"},
		{"scope beyond the app's", url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {appCallback}, "scope": {"follow"}}, 302, "invalid_scope"},
		{"token response type", url.Values{"response_type": {"token"}, "client_id": {clientID}, "redirect_uri": {appCallback}}, 302, "unsupported_response_type"},
		{"plain PKCE", url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {appCallback},
			"code_challenge": {strings.Repeat("a", 43)}, "code_challenge_method": {"plain"}}, 302, "invalid_request"},
	}
	for _, c := range cases {
		r := e.get(t, "/oauth/authorize?"+c.query.Encode(), "")
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, r.status, c.status)
			continue
		}
		loc := r.header.Get("Location")
		if c.errParam == "" {
			if loc != "" || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: want an HTML page and no redirect, got Location %q", c.name, loc)
			}
			continue
		}
		u, _ := url.Parse(loc)
		if u == nil || !strings.HasPrefix(loc, appCallback+"?") || u.Query().Get("error") != c.errParam {
			t.Errorf("%s: redirected to %q, want error=%s at the callback", c.name, loc, c.errParam)
		}
	}
}

func TestForceLoginAndLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read", appCallback)
	b := e.browser(t)
	authorize := e.authorizeURL(clientID, appCallback, "read", "", "")
	consent := e.logIn(t, b, authorize)

	// Logged in: straight to the consent page, unless force_login.
	if r := do(t, b, newRequest(t, "GET", authorize, "", "")); !strings.Contains(r.body, `value="authorize"`) {
		t.Fatalf("logged in: want the consent page, got %d", r.status)
	}
	if r := do(t, b, newRequest(t, "GET", authorize+"&force_login=true", "", "")); !strings.Contains(r.body, `name="password"`) {
		t.Fatalf("force_login: want the login form, got %d", r.status)
	}
	req := newRequest(t, "GET", e.ts.URL+"/", "", "")
	for _, c := range b.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	if u, err := e.srv.SessionUser(req); err != nil || u == nil || u.ID != e.user.ID {
		t.Fatalf("SessionUser = %v, %v; want the user", u, err)
	}

	csrf, _ := form(t, consent)
	if r := e.postForm(t, b, "/auth/logout", url.Values{}); r.status != 403 {
		t.Errorf("logout without CSRF token: %d, want 403", r.status)
	}
	stay := &http.Client{Jar: b.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r := e.postForm(t, stay, "/auth/logout", url.Values{"csrf_token": {csrf}, "next": {"//evil.example/"}})
	if r.status != 303 || r.header.Get("Location") != "/" {
		t.Errorf("logout: %d to %q, want 303 to / (never to another host)", r.status, r.header.Get("Location"))
	}
	if u, _ := e.srv.SessionUser(req); u != nil {
		t.Error("the session survived logout")
	}
	if r := do(t, b, newRequest(t, "GET", authorize, "", "")); !strings.Contains(r.body, `name="password"`) {
		t.Errorf("after logout: want the login form, got %d", r.status)
	}
}

func TestResponseModes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read", appCallback)
	consentFor := func(mode string) response {
		b := e.browser(t)
		consent := e.logIn(t, b, e.authorizeURL(clientID, appCallback, "read", "s2", "")+"&response_mode="+mode)
		csrf, action := form(t, consent)
		return e.postForm(t, b, action, url.Values{"step": {"consent"}, "csrf_token": {csrf}, "decision": {"authorize"},
			"identity_id": {strconv.FormatInt(int64(e.ids[0].ID), 10)}})
	}
	r := consentFor("fragment")
	loc, _ := url.Parse(r.header.Get("Location"))
	frag, _ := url.ParseQuery(loc.Fragment)
	if r.status != 302 || loc.RawQuery != "" || len(frag.Get("code")) != 43 || frag.Get("state") != "s2" {
		t.Errorf("fragment mode: %d %q", r.status, r.header.Get("Location"))
	}
	r = consentFor("form_post")
	if r.status != 200 || !strings.Contains(r.body, `action="`+appCallback+`"`) || !strings.Contains(r.body, `name="code" value="`) ||
		!strings.Contains(r.header.Get("Content-Security-Policy"), "'sha256-") {
		t.Errorf("form_post mode: %d\n%s", r.status, r.body)
	}
}

// Native apps listening on a loopback port may use any port (RFC 8252).
func TestLoopbackRedirectAnyPort(t *testing.T) {
	t.Parallel()
	e := newEnv(t, oauth.Options{})
	clientID, _ := e.app(t, "read", "http://127.0.0.1/callback")
	if r := e.get(t, "/oauth/authorize?"+url.Values{"response_type": {"code"}, "client_id": {clientID},
		"redirect_uri": {"http://127.0.0.1:49152/callback"}}.Encode(), ""); r.status != 200 {
		t.Errorf("loopback redirect on another port: %d, want the login page", r.status)
	}
	if r := e.get(t, "/oauth/authorize?"+url.Values{"response_type": {"code"}, "client_id": {clientID},
		"redirect_uri": {"http://127.0.0.1:49152/other"}}.Encode(), ""); r.status != 400 {
		t.Errorf("loopback redirect on another path: %d, want 400", r.status)
	}
}
