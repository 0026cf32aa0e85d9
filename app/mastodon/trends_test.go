package mastodon_test

import (
	"net/http"
	"testing"
)

// Trending tags by distinct authors, trending statuses by interactions
// (hidden ones left out), and no links.
func TestTrendTagsStatusesLinks(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	alice.compose("#kea are clever", nil)
	bob.compose("so are #kea", nil)
	bob.compose("#tui sing", nil)
	quiet := alice.compose("nobody cares", nil)["id"].(string)
	liked := alice.compose("liked a little", nil)["id"].(string)
	popular := bob.compose("liked a lot", nil)["id"].(string)
	secret := alice.compose("liked but private", map[string]any{"visibility": "private"})["id"].(string)
	carol.json("POST", "/api/v1/statuses/"+liked+"/favourite", nil, nil)
	carol.json("POST", "/api/v1/statuses/"+popular+"/favourite", nil, nil)
	carol.json("POST", "/api/v1/statuses/"+popular+"/reblog", nil, nil)
	alice.json("POST", "/api/v1/statuses/"+secret+"/favourite", nil, nil)

	var tags []map[string]any
	s.anonymous().json("GET", "/api/v1/trends/tags", nil, &tags)
	if len(tags) != 2 || tags[0]["name"] != "kea" || tags[1]["name"] != "tui" {
		t.Fatalf("trending tags: %v", tags)
	}
	history := tags[0]["history"].([]any)
	if len(history) != 7 || history[0].(map[string]any)["uses"] != "2" || history[0].(map[string]any)["accounts"] != "2" || tags[0]["id"] == "" {
		t.Fatalf("kea: %v", tags[0])
	}
	resp, body := s.anonymous().request("GET", "/api/v1/trends/tags?limit=1&offset=1", nil, nil)
	if got := fieldOf(t, body, "name"); len(got) != 1 || got[0] != "tui" {
		t.Fatalf("second page of tags: %s", body)
	}
	if linkQuery(t, resp.Header.Get("Link"), "prev", "offset") != "0" {
		t.Fatalf("Link: %s", resp.Header.Get("Link"))
	}
	s.anonymous().json("GET", "/api/v1/trends", nil, &tags)
	if len(tags) != 2 {
		t.Fatalf("trends alias: %v", tags)
	}

	_, body = s.anonymous().request("GET", "/api/v1/trends/statuses", nil, nil)
	if got := statusIDs(t, body); len(got) != 2 || got[0] != popular || got[1] != liked {
		t.Fatalf("trending statuses: %v (quiet %s)", got, quiet)
	}
	_, body = alice.request("GET", "/api/v1/trends/statuses?limit=1&offset=1", nil, nil)
	if got := statusIDs(t, body); len(got) != 1 || got[0] != liked {
		t.Fatalf("trending statuses, second: %v", got)
	}
	var links []any
	s.anonymous().json("GET", "/api/v1/trends/links", nil, &links)
	if links == nil || len(links) != 0 {
		t.Fatalf("links: %v", links)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/trends/tags?limit=100", nil); status != http.StatusOK {
		t.Fatalf("a large limit: %d", status)
	}
}
