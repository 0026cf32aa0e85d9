package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Helpers of the account tests.

// relationship reads the client's relationship with account id.
func (c *client) acctRel(id string) map[string]any {
	c.t.Helper()
	var list []map[string]any
	c.json("GET", "/api/v1/accounts/relationships?id[]="+id, nil, &list)
	if len(list) != 1 {
		c.t.Fatalf("relationships with %s: %v", id, list)
	}
	return list[0]
}

// action posts an account action and returns the Relationship answered.
func (c *client) acctAction(id, verb string, body any) map[string]any {
	c.t.Helper()
	var rel map[string]any
	c.json("POST", "/api/v1/accounts/"+id+"/"+verb, body, &rel)
	if rel["id"] != id {
		c.t.Fatalf("%s %s answered the relationship of %v", verb, id, rel["id"])
	}
	return rel
}

// get sends GET path and returns the response and its body; a status
// other than 200 fails the test.
func (c *client) acctGet(path string) (*http.Response, []byte) {
	c.t.Helper()
	resp, body := c.request("GET", path, nil, nil)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return resp, body
}

// remoteAccount records an account of another server, as if fetched, and
// returns it.
func (s *server) acctRemote(username, domain string) *model.Identity {
	s.t.Helper()
	ctx := context.Background()
	if _, err := store.EnsureRemoteDomain(ctx, s.DB, domain); err != nil {
		s.t.Fatal(err)
	}
	i := &model.Identity{URI: "https://" + domain + "/users/" + username, Username: username, Domain: domain,
		ActorType: "Person", Name: username, InboxURI: "https://" + domain + "/users/" + username + "/inbox", Discoverable: true}
	if err := store.SaveRemoteIdentity(ctx, s.DB, i, time.Hour); err != nil {
		s.t.Fatal(err)
	}
	return i
}

// remotePost records a public post of a remote account.
func (s *server) acctRemotePost(author *model.Identity, text string) *model.Post {
	s.t.Helper()
	p := &model.Post{AuthorID: author.ID, URI: author.URI + "/statuses/" + idStr(model.NewID()), Visibility: model.VisibilityPublic,
		Content: "<p>" + text + "</p>", ObjectType: "Note"}
	if _, err := store.InsertPost(context.Background(), s.DB, p, "fanned_out"); err != nil {
		s.t.Fatal(err)
	}
	return p
}

// appClient registers an app and returns a client with an app-only token
// (client_credentials) of scopes.
func (s *server) acctApp(scopes string) *client {
	s.t.Helper()
	c := s.anonymous()
	status, body := c.do("POST", "/api/v1/apps", url.Values{"client_name": {"signup"}, "redirect_uris": {"urn:ietf:wg:oauth:2.0:oob"}, "scopes": {scopes}})
	if status != http.StatusOK {
		s.t.Fatalf("registering an app: %d %s", status, body)
	}
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	json.Unmarshal(body, &app)
	status, body = c.do("POST", "/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID},
		"client_secret": {app.ClientSecret}, "scope": {scopes}})
	if status != http.StatusOK {
		s.t.Fatalf("client credentials: %d %s", status, body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.Unmarshal(body, &tok)
	c.token = tok.AccessToken
	return c
}

// postStatus writes a status through the API and returns its id.
func (c *client) postStatus(body any) string {
	c.t.Helper()
	var st map[string]any
	c.json("POST", "/api/v1/statuses", body, &st)
	return st["id"].(string)
}

// interact boosts or pins a post as c, through app/social (the status
// action endpoints are another group's).
func (c *client) acctInteract(kind, postID string) {
	c.t.Helper()
	ctx := context.Background()
	id, _ := strconv.ParseInt(postID, 10, 64)
	p, err := store.PostByID(ctx, c.s.DB, model.ID(id))
	if err != nil || p == nil {
		c.t.Fatalf("post %s: %v", postID, err)
	}
	switch kind {
	case "boost":
		_, err = c.s.Instance.Boost(ctx, c.identity, p)
	case "pin":
		_, err = c.s.Instance.Pin(ctx, c.identity, p)
	}
	if err != nil {
		c.t.Fatalf("%s of %s: %v", kind, postID, err)
	}
}

// waitAccepted waits until source's follow of target (both of s) is
// accepted, so that target's posts from then on are fanned out to source:
// the API reports a follow of an unlocked local account at once, while
// Stator accepts it a moment later.
func waitAccepted(t *testing.T, s *server, source, target *client) {
	t.Helper()
	eventually(t, "the follow to be accepted", func() bool {
		var n int
		err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM follows
			WHERE source_id = $1 AND target_id = $2 AND state = 'accepted'`, source.identity.ID, target.identity.ID).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n == 1
	})
}
