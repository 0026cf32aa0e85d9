package mastodon_test

import (
	"context"
	"html"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gomastodon "github.com/mattn/go-mastodon"
)

// hostTransport sends requests for test domains to their loopback
// addresses, as DNS would: the client library speaks to http://a.test.
func hostTransport(addrs map[string]string) *http.Transport {
	return &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		if a, ok := addrs[host]; ok {
			addr = a
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

var (
	csrfInput  = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	formTarget = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	oobCode    = regexp.MustCompile(`<code class="grant" id="code">([^<]+)</code>`)
	identityID = regexp.MustCompile(`name="identity_id" value="(\d+)"`)
)

// browserLogin drives the authorize pages as a person would: log in,
// consent, read the code shown for an out-of-band app.
func browserLogin(t *testing.T, tr *http.Transport, base, clientID, email string) string {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Transport: tr, Jar: jar}
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"urn:ietf:wg:oauth:2.0:oob"}, "scope": {"read write follow push"}}
	page := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var sb strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			sb.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return sb.String()
	}
	login := page(b.Get(base + "/oauth/authorize?" + q.Encode()))
	csrf, action := csrfInput.FindStringSubmatch(login), formTarget.FindStringSubmatch(login)
	if csrf == nil || action == nil {
		t.Fatalf("no login form:\n%s", login)
	}
	consent := page(b.PostForm(base+html.UnescapeString(action[1]), url.Values{"step": {"login"}, "csrf_token": {csrf[1]}, "email": {email}, "password": {testPassword}}))
	csrf, action = csrfInput.FindStringSubmatch(consent), formTarget.FindStringSubmatch(consent)
	if csrf == nil || action == nil {
		t.Fatalf("no consent form:\n%s", consent)
	}
	identity := identityID.FindStringSubmatch(consent)
	if identity == nil {
		t.Fatalf("no identity to choose:\n%s", consent)
	}
	shown := page(b.PostForm(base+html.UnescapeString(action[1]), url.Values{"step": {"consent"}, "csrf_token": {csrf[1]},
		"decision": {"authorize"}, "identity_id": {identity[1]}}))
	code := oobCode.FindStringSubmatch(shown)
	if code == nil {
		t.Fatalf("no code shown:\n%s", shown)
	}
	return code[1]
}

// A whole session driven by an independent client library
// (github.com/mattn/go-mastodon): app registration, code and password
// logins, credentials, media, posting, the home timeline, search with
// resolve, a follow across servers, a notification, and the streaming API.
func TestClientLibrarySession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := twoServers(t)
	tr := hostTransport(map[string]string{"a.test": a.addr, "b.test": b.addr})
	alice := a.user("alice", "")
	bob := b.user("bob", "")

	app, err := gomastodon.RegisterApp(ctx, &gomastodon.AppConfig{Client: http.Client{Transport: tr}, Server: "http://a.test",
		ClientName: "go-mastodon test", Scopes: "read write follow push", Website: "https://example.org"})
	if err != nil {
		t.Fatal(err)
	}
	c := gomastodon.NewClient(&gomastodon.Config{Server: "http://a.test", ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	c.Client.Transport = tr
	code := browserLogin(t, tr, "http://a.test", app.ClientID, "alice@a.test.example")
	if err := c.AuthenticateToken(ctx, code, "urn:ietf:wg:oauth:2.0:oob"); err != nil {
		t.Fatalf("code flow: %v", err)
	}
	pw := gomastodon.NewClient(&gomastodon.Config{Server: "http://a.test", ClientID: app.ClientID, ClientSecret: app.ClientSecret})
	pw.Client.Transport = tr
	if err := pw.Authenticate(ctx, "alice@a.test.example", testPassword); err != nil {
		t.Fatalf("password grant: %v", err)
	}
	for _, cl := range []*gomastodon.Client{c, pw} {
		me, err := cl.GetAccountCurrentUser(ctx)
		if err != nil || me.Acct != "alice" || string(me.ID) != idOf(alice) {
			t.Fatalf("verify_credentials: %+v (%v)", me, err)
		}
	}

	att, err := c.UploadMediaFromBytes(ctx, testJPEG(t, 120, 90))
	if err != nil || att.Type != "image" || att.URL == "" {
		t.Fatalf("upload: %+v (%v)", att, err)
	}
	st, err := c.PostStatus(ctx, &gomastodon.Toot{Status: "Kia ora from a client library", MediaIDs: []gomastodon.ID{att.ID}, Visibility: "public"})
	if err != nil || len(st.MediaAttachments) != 1 {
		t.Fatalf("post: %+v (%v)", st, err)
	}
	eventually(t, "the post in alice's home timeline", func() bool {
		home, err := c.GetTimelineHome(ctx, nil)
		return err == nil && len(home) > 0 && home[0].ID == st.ID
	})

	res, err := c.Search(ctx, "@bob@b.test", true)
	if err != nil || len(res.Accounts) != 1 || res.Accounts[0].Acct != "bob@b.test" {
		t.Fatalf("search with resolve: %+v (%v)", res, err)
	}
	events, err := c.StreamingUser(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := c.AccountFollow(ctx, res.Accounts[0].ID)
	if err != nil || (!rel.Following && !rel.Requested) {
		t.Fatalf("follow: %+v (%v)", rel, err)
	}

	bc := gomastodon.NewClient(&gomastodon.Config{Server: "http://b.test", AccessToken: bob.token})
	bc.Client.Transport = tr
	eventually(t, "bob's follow notification", func() bool {
		ns, err := bc.GetNotifications(ctx, nil)
		return err == nil && len(ns) > 0 && ns[0].Type == "follow" && ns[0].Account.Acct == "alice@a.test"
	})
	eventually(t, "the follow to be accepted", func() bool {
		rels, err := c.GetAccountRelationships(ctx, []string{string(res.Accounts[0].ID)})
		return err == nil && len(rels) == 1 && rels[0].Following
	})
	bobPost, err := bc.PostStatus(ctx, &gomastodon.Toot{Status: "hello followers", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(30 * time.Second)
	for {
		select {
		case e := <-events:
			if u, ok := e.(*gomastodon.UpdateEvent); ok && u.Status.URI == bobPost.URI {
				return
			}
			if er, ok := e.(*gomastodon.ErrorEvent); ok {
				t.Logf("stream: %v", er)
			}
		case <-deadline:
			t.Fatal("bob's post never arrived on alice's user stream")
		}
	}
}

func idOf(c *client) string { return strconv.FormatInt(int64(c.identity.ID), 10) }
