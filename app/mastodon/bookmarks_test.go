package mastodon_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// statusIDs decodes a list of statuses and returns their ids.
func statusIDs(t *testing.T, data []byte) []string {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("not a list: %v: %s", err, data)
	}
	out := make([]string, len(list))
	for k, s := range list {
		out[k], _ = s["id"].(string)
	}
	return out
}

// Bookmarks and favourites list the latest bookmark (like) first, whatever
// the posts' own order, paged by Link headers; hidden posts drop out.
func TestBookmarkAndFavouriteLists(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	var ids []string
	for _, text := range []string{"one", "two", "three"} {
		ids = append(ids, alice.compose(text, nil)["id"].(string))
	}
	// Bookmarked and liked newest post first: the lists show the oldest
	// post first.
	for k := len(ids) - 1; k >= 0; k-- {
		bob.json("POST", "/api/v1/statuses/"+ids[k]+"/bookmark", nil, nil)
		bob.json("POST", "/api/v1/statuses/"+ids[k]+"/favourite", nil, nil)
	}
	for _, list := range []string{"bookmarks", "favourites"} {
		resp, body := bob.request("GET", "/api/v1/"+list+"?limit=2", nil, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", list, resp.StatusCode, body)
		}
		if got := statusIDs(t, body); strings.Join(got, ",") != ids[0]+","+ids[1] {
			t.Fatalf("%s page 1: %v, want %v", list, got, ids[:2])
		}
		next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
		_, body = bob.request("GET", "/api/v1/"+list+"?limit=2&max_id="+next, nil, nil)
		if got := statusIDs(t, body); strings.Join(got, ",") != ids[2] {
			t.Fatalf("%s page 2: %v", list, got)
		}
		prev := linkQuery(t, resp.Header.Get("Link"), "prev", "min_id")
		_, body = bob.request("GET", "/api/v1/"+list+"?min_id="+prev, nil, nil)
		if got := statusIDs(t, body); len(got) != 0 {
			t.Fatalf("%s newer than the newest: %v", list, got)
		}
	}
	var list []map[string]any
	bob.json("GET", "/api/v1/bookmarks", nil, &list)
	if list[0]["bookmarked"] != true || list[0]["favourited"] != true {
		t.Fatalf("bookmarked status: %v", list[0])
	}
	// Alice's own list is empty; a deleted post leaves bob's.
	if _, body := alice.request("GET", "/api/v1/bookmarks", nil, nil); len(statusIDs(t, body)) != 0 {
		t.Fatalf("alice's bookmarks: %s", body)
	}
	alice.json("DELETE", "/api/v1/statuses/"+ids[1], nil, nil)
	_, body := bob.request("GET", "/api/v1/favourites", nil, nil)
	if got := statusIDs(t, body); strings.Join(got, ",") != ids[0]+","+ids[2] {
		t.Fatalf("favourites after a deletion: %v", got)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/bookmarks", nil); status != http.StatusUnauthorized {
		t.Fatalf("bookmarks without a token: %d", status)
	}
	if status, _ := s.user("rita", "read:statuses").do("GET", "/api/v1/favourites", nil); status != http.StatusForbidden {
		t.Fatalf("favourites without read:favourites: %d", status)
	}
}
