package mastodon_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/mastodon"
	"pukeko/app/model"
	"pukeko/app/node"
	"pukeko/app/node/nodetest"
	"pukeko/app/password"
	"pukeko/app/store"
)

// server is one Pukeko node serving the client API on loopback for a
// test, with plain HTTP on its own port.
type server struct {
	*node.Node
	t      testing.TB
	domain string
	addr   string
}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// startServer boots a node for domain ("a.test") with Stator running.
// peers maps other test domains to their addresses (federation tests);
// env adds PUKEKO_* settings.
func startServer(t testing.TB, domain string, peers map[string]string, env ...string) *server {
	t.Helper()
	return startServerOn(t, domain, nodetest.Listen(t), peers, env...)
}

// startServerOn is startServer on a listener the caller made (so that
// peers can know each other's addresses before either starts).
func startServerOn(t testing.TB, domain string, ln net.Listener, peers map[string]string, env ...string) *server {
	t.Helper()
	resolve := []string{domain + "=" + ln.Addr().String()}
	for d, addr := range peers {
		resolve = append(resolve, d+"="+addr)
	}
	n := nodetest.Boot(t, domain, nodetest.Env(t, domain, resolve, env...), node.Options{Stator: true}, node.Listeners{Plain: ln})
	return &server{Node: n, t: t, domain: domain, addr: ln.Addr().String()}
}

// hashedTestPassword is testPassword hashed once per process.
var hashedTestPassword = func() string {
	h, err := password.Hash(testPassword)
	if err != nil {
		panic(err)
	}
	return h
}()

// user creates a user with one identity, username@domain, and returns a
// client logged in as it with scopes ("read write follow push" when "").
func (s *server) user(username, scopes string) *client {
	s.t.Helper()
	ctx := context.Background()
	u := &model.User{Email: username + "@" + s.domain + ".example", PasswordHash: hashedTestPassword}
	if err := store.CreateUser(ctx, s.DB, u); err != nil {
		s.t.Fatal(err)
	}
	i, err := s.Instance.CreateIdentity(ctx, u.ID, username, s.domain, strings.ToUpper(username[:1])+username[1:])
	if err != nil {
		s.t.Fatal(err)
	}
	if scopes == "" {
		scopes = "read write follow push"
	}
	c := s.anonymous()
	c.identity = i
	c.token = c.login(u.Email, scopes)
	return c
}

// anonymous returns a client without a token.
func (s *server) anonymous() *client {
	return &client{s: s, t: s.t}
}

// client calls the API of a server.
type client struct {
	s        *server
	t        testing.TB
	token    string
	identity *model.Identity
}

// login registers an app and gets a token by the password grant.
func (c *client) login(email, scopes string) string {
	c.t.Helper()
	var app struct{ ClientID, ClientSecret string }
	status, body := c.do("POST", "/api/v1/apps", url.Values{"client_name": {"test"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {scopes}})
	if status != 200 {
		c.t.Fatalf("registering an app: %d %s", status, body)
	}
	var a map[string]any
	json.Unmarshal(body, &a)
	app.ClientID, _ = a["client_id"].(string)
	app.ClientSecret, _ = a["client_secret"].(string)
	status, body = c.do("POST", "/oauth/token", url.Values{"grant_type": {"password"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "username": {email}, "password": {testPassword}, "scope": {scopes}})
	if status != 200 {
		c.t.Fatalf("password grant: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(body, &tok)
	return tok.AccessToken
}

// do sends a request: body is nil, url.Values (a form), a map (JSON) or
// *multipartBody. It returns the status and the body.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.t.Helper()
	resp, data := c.request(method, path, body, nil)
	return resp.StatusCode, data
}

// request is do with extra headers, returning the whole response.
func (c *client) request(method, path string, body any, header http.Header) (*http.Response, []byte) {
	c.t.Helper()
	var r io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case url.Values:
		r, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	case *multipartBody:
		r, ctype = bytes.NewReader(b.buf.Bytes()), b.w.FormDataContentType()
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		r, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, "http://"+c.s.addr+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Host = c.s.domain
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	validateResponse(c.t, req, resp, data)
	for _, m := range mastodon.TakeRenderMismatches() {
		c.t.Errorf("render cache: %s", m)
	}
	return resp, data
}

// json calls do and decodes a 200 answer into v; another status fails
// the test.
func (c *client) json(method, path string, body any, v any) {
	c.t.Helper()
	status, data := c.do(method, path, body)
	if status != http.StatusOK {
		c.t.Fatalf("%s %s: %d %s", method, path, status, data)
	}
	if v != nil {
		if err := json.Unmarshal(data, v); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
}

// multipartBody is a multipart form for do.
type multipartBody struct {
	buf bytes.Buffer
	w   *multipart.Writer
}

// multipartForm builds a form with fields and one file (field name,
// file name, content).
func multipartForm(fields map[string]string, fileField, fileName string, file []byte) *multipartBody {
	m := &multipartBody{}
	m.w = multipart.NewWriter(&m.buf)
	for k, v := range fields {
		m.w.WriteField(k, v)
	}
	if fileField != "" {
		fw, _ := m.w.CreateFormFile(fileField, fileName)
		fw.Write(file)
	}
	m.w.Close()
	return m
}

// obj decodes a JSON object.
func obj(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, data)
	}
	return m
}

var _ = fmt.Sprint

// eventually polls cond until it holds, failing the test after 30 s
// (generous: Stator and federation run beside the test on a busy machine).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// twoServers starts a.test and b.test, peers of each other.
func twoServers(t *testing.T) (a, b *server) {
	t.Helper()
	la, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lb, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { la.Close(); lb.Close() })
	a = startServerOn(t, "a.test", la, map[string]string{"b.test": lb.Addr().String()})
	b = startServerOn(t, "b.test", lb, map[string]string{"a.test": la.Addr().String()})
	return a, b
}
