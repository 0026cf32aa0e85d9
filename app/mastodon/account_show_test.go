package mastodon_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Profiles: by id, several ids, address; logged out too; 404s.
func TestAccountShowAndLookup(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	anon := s.anonymous()
	bob.postStatus(url.Values{"status": {"hello"}})

	_, body := anon.acctGet("/api/v1/accounts/" + bob.accountID())
	acc := obj(t, body)
	if acc["id"] != bob.accountID() || acc["username"] != "bob" || acc["acct"] != "bob" || acc["display_name"] != "Bob" ||
		acc["statuses_count"] != float64(1) || acc["last_status_at"] == nil || !strings.HasPrefix(acc["avatar"].(string), "http://a.test/") {
		t.Fatalf("account: %v", acc)
	}
	for _, path := range []string{"/api/v1/accounts/12345", "/api/v1/accounts/nope", "/api/v1/accounts/lookup?acct=nobody",
		"/api/v1/accounts/lookup?acct=bob@elsewhere.test", "/api/v1/accounts/lookup"} {
		if status, body := alice.do("GET", path, nil); status != http.StatusNotFound || obj(t, body)["error"] != "Record not found" {
			t.Errorf("GET %s: %d %s, want 404", path, status, body)
		}
	}
	for _, acct := range []string{"bob", "@bob", "BOB@a.test", "bob@A.TEST"} {
		_, body := anon.acctGet("/api/v1/accounts/lookup?acct=" + url.QueryEscape(acct))
		if obj(t, body)["id"] != bob.accountID() {
			t.Errorf("lookup %s: %s", acct, body)
		}
	}
	_, body = alice.acctGet("/api/v1/accounts?id[]=" + bob.accountID() + "&id[]=999&id[]=" + alice.accountID() + "&id[]=" + bob.accountID())
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob", "alice"}) {
		t.Fatalf("several accounts: %v", names)
	}
	if _, body := alice.acctGet("/api/v1/accounts?id[]=x&id[]=" + alice.accountID()); !slices.Equal(usernamesOf(t, body), []string{"alice"}) {
		t.Fatalf("a malformed id: %s", body)
	}
	if status, body := anon.do("GET", "/api/v1/accounts/"+bob.accountID()+"/identity_proofs", nil); status != 200 || string(body) != "[]" {
		t.Fatalf("identity proofs: %d %s", status, body)
	}
	// A token that is sent must be valid.
	bad := s.anonymous()
	bad.token = "nope"
	if status, _ := bad.do("GET", "/api/v1/accounts/"+bob.accountID(), nil); status != http.StatusUnauthorized {
		t.Fatalf("an invalid token: %d", status)
	}
}

// An account's statuses: posts and boosts, Mastodon's filters, pages with
// Link headers, visibility, and nothing for an account that blocks you.
func TestAccountStatuses(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")

	alicePost := alice.postStatus(url.Values{"status": {"from alice"}})
	first := bob.postStatus(url.Values{"status": {"first #kea"}})
	reply := bob.postStatus(url.Values{"status": {"@alice a reply"}, "in_reply_to_id": {alicePost}})
	thread := bob.postStatus(url.Values{"status": {"continuing"}, "in_reply_to_id": {first}})
	private := bob.postStatus(url.Values{"status": {"followers only"}, "visibility": {"private"}})
	_, media := bob.do("POST", "/api/v1/media", multipartForm(nil, "file", "x.jpg", testJPEG(t, 32, 32)))
	withMedia := bob.postStatus(map[string]any{"status": "a picture", "media_ids": []string{obj(t, media)["id"].(string)}})
	bob.acctInteract("boost", alicePost)
	bob.acctInteract("pin", first)

	ids := func(c *client, query string) []string {
		t.Helper()
		_, body := c.acctGet("/api/v1/accounts/" + bob.accountID() + "/statuses" + query)
		var list []map[string]any
		json.Unmarshal(body, &list)
		out := make([]string, len(list))
		for k, st := range list {
			out[k] = st["id"].(string)
			if r, ok := st["reblog"].(map[string]any); ok {
				out[k] = "boost:" + r["id"].(string)
			}
		}
		return out
	}
	all := ids(carol, "")
	if want := []string{"boost:" + alicePost, withMedia, thread, reply, first}; !slices.Equal(all, want) {
		t.Fatalf("bob's statuses to carol: %v, want %v", all, want)
	}
	if got := ids(bob, ""); len(got) != 6 || got[2] != private {
		t.Fatalf("bob's statuses to bob: %v", got)
	}
	if got := ids(s.anonymous(), "?exclude_reblogs=true"); !slices.Equal(got, []string{withMedia, thread, reply, first}) {
		t.Fatalf("without boosts: %v", got)
	}
	if got := ids(carol, "?exclude_replies=1"); !slices.Equal(got, []string{"boost:" + alicePost, withMedia, thread, first}) {
		t.Fatalf("without replies: %v", got)
	}
	if got := ids(carol, "?only_media=true"); !slices.Equal(got, []string{withMedia}) {
		t.Fatalf("only media: %v", got)
	}
	if got := ids(carol, "?tagged=KEA"); !slices.Equal(got, []string{first}) {
		t.Fatalf("tagged: %v", got)
	}
	if got := ids(carol, "?pinned=true"); !slices.Equal(got, []string{first}) {
		t.Fatalf("pinned: %v", got)
	}

	// Two at a time, following the Link header.
	resp, body := carol.acctGet("/api/v1/accounts/" + bob.accountID() + "/statuses?limit=2")
	if got := len(usernamesOf(t, body)); got != 2 {
		t.Fatalf("a page of 2: %d", got)
	}
	maxID := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	if got := ids(carol, "?limit=2&max_id="+maxID); !slices.Equal(got, []string{thread, reply}) {
		t.Fatalf("the next page: %v", got)
	}
	minID := linkQuery(t, resp.Header.Get("Link"), "prev", "min_id")
	if got := ids(carol, "?min_id="+minID); len(got) != 0 {
		t.Fatalf("newer than the newest: %v", got)
	}
	if got := ids(carol, "?min_id="+first+"&limit=2"); !slices.Equal(got, []string{thread, reply}) {
		t.Fatalf("just after the first: %v", got)
	}

	bob.acctAction(carol.accountID(), "block", nil)
	if got := ids(carol, ""); len(got) != 0 {
		t.Fatalf("statuses of an account that blocks you: %v", got)
	}
	if status, _ := carol.do("GET", "/api/v1/accounts/999/statuses", nil); status != http.StatusNotFound {
		t.Fatalf("statuses of nobody: %d", status)
	}
}
