package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
)

// Opening the thread of a remote post fetches its replies from its server
// in the background, as Mastodon 4.4 does: the context answer carries a
// Mastodon-Async-Refresh header, the refresh counts the replies stored,
// and once it finished the thread holds them, replies to replies too.
func TestContextRefreshFetchesRemoteReplies(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice := a.user("alice", "")
	bob, carol, dave := b.user("bob", ""), b.user("carol", ""), b.user("dave", "")

	var post map[string]any
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "What do you think?"}, &post)
	var found struct {
		Statuses []map[string]any `json:"statuses"`
	}
	alice.json("GET", "/api/v2/search?resolve=true&type=statuses&q="+url.QueryEscape(post["uri"].(string)), nil, &found)
	if len(found.Statuses) != 1 {
		t.Fatalf("resolving bob's post on a.test: %v", found)
	}
	id := found.Statuses[0]["id"].(string)
	var reply map[string]any
	carol.json("POST", "/api/v1/statuses", map[string]any{"status": "@bob I agree", "in_reply_to_id": post["id"]}, &reply)
	var nested map[string]any
	dave.json("POST", "/api/v1/statuses", map[string]any{"status": "@carol me too", "in_reply_to_id": reply["id"]}, &nested)
	local := alice.postStatus(map[string]any{"status": "a thread of mine"})

	// A brand new post: its replies still arrive on their own.
	resp, _ := alice.acctGet("/api/v1/statuses/" + id + "/context")
	if h := resp.Header.Get("Mastodon-Async-Refresh"); h != "" {
		t.Fatalf("refresh of a post just published: %q", h)
	}
	if _, err := a.DB.Exec(context.Background(), `UPDATE posts SET published = now() - interval '1 hour' WHERE uri = $1`, post["uri"]); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*client{a.anonymous(), alice} {
		if resp, _ := c.acctGet("/api/v1/statuses/" + local + "/context"); resp.Header.Get("Mastodon-Async-Refresh") != "" {
			t.Errorf("refresh of a local post: %q", resp.Header.Get("Mastodon-Async-Refresh"))
		}
	}
	if resp, _ := a.anonymous().acctGet("/api/v1/statuses/" + id + "/context"); resp.Header.Get("Mastodon-Async-Refresh") != "" {
		t.Errorf("a logged-out visitor started a refresh: %q", resp.Header.Get("Mastodon-Async-Refresh"))
	}

	resp, _ = alice.acctGet("/api/v1/statuses/" + id + "/context")
	refresh, retry := refreshID(t, resp)
	if retry != 3 {
		t.Errorf("retry %d, want Mastodon's 3", retry)
	}
	var state map[string]map[string]any
	eventually(t, "the refresh to finish", func() bool {
		alice.json("GET", "/api/v1_alpha/async_refreshes/"+refresh, nil, &state)
		return state["async_refresh"]["status"] == "finished"
	})
	if r := state["async_refresh"]; r["id"] != refresh || r["result_count"] != float64(2) {
		t.Errorf("finished refresh: %v", r)
	}
	var thread struct {
		Descendants []map[string]any `json:"descendants"`
	}
	resp, body := alice.acctGet("/api/v1/statuses/" + id + "/context")
	if err := json.Unmarshal(body, &thread); err != nil {
		t.Fatal(err)
	}
	if len(thread.Descendants) != 2 || thread.Descendants[0]["uri"] != reply["uri"] || thread.Descendants[1]["uri"] != nested["uri"] {
		t.Errorf("thread after the refresh: %s", body)
	}
	if h := resp.Header.Get("Mastodon-Async-Refresh"); h != "" {
		t.Errorf("refreshed again right away: %q", h)
	}
	if status, _ := a.user("reader", "read:statuses").do("GET", "/api/v1_alpha/async_refreshes/"+refresh, nil); status != http.StatusForbidden {
		t.Errorf("refresh with read:statuses only (Mastodon asks for read): %d", status)
	}
}
