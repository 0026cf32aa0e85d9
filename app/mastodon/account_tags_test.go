package mastodon_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"
)

// Hashtags: shown with a week of history, followed and unfollowed, listed
// with pages; invalid names are 404.
func TestAccountFollowedTags(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	bob.postStatus(url.Values{"status": {"#Kea one"}})
	bob.postStatus(url.Values{"status": {"#kea two"}})
	alice.postStatus(url.Values{"status": {"#kea three"}})
	alice.postStatus(url.Values{"status": {"#kea hidden"}, "visibility": {"private"}})

	var tag map[string]any
	s.anonymous().json("GET", "/api/v1/tags/KEA", nil, &tag)
	history := tag["history"].([]any)
	today := history[0].(map[string]any)
	day, _ := strconv.ParseInt(today["day"].(string), 10, 64)
	if tag["name"] != "kea" || tag["url"] != "http://a.test/tags/kea" || tag["id"] == "" || len(history) != 7 ||
		today["uses"] != "3" || today["accounts"] != "2" || time.Unix(day, 0).UTC().Format("15:04") != "00:00" || tag["following"] != nil {
		t.Fatalf("tag: %v", tag)
	}
	alice.json("POST", "/api/v1/tags/kea/follow", nil, &tag)
	if tag["following"] != true || tag["featuring"] != false {
		t.Fatalf("followed tag: %v", tag)
	}
	alice.json("POST", "/api/v1/tags/%23Tui/follow", nil, &tag)
	if tag["name"] != "tui" || tag["following"] != true || tag["id"] == "" {
		t.Fatalf("a tag never used, followed: %v", tag)
	}
	alice.json("GET", "/api/v1/tags/kea", nil, &tag)
	if tag["following"] != true {
		t.Fatalf("tag seen by a follower: %v", tag)
	}

	resp, body := alice.acctGet("/api/v1/followed_tags?limit=1")
	if names := acctTagNames(t, body); !slices.Equal(names, []string{"tui"}) {
		t.Fatalf("followed tags, first page: %v", names)
	}
	_, body = alice.acctGet("/api/v1/followed_tags?limit=1&max_id=" + linkQuery(t, resp.Header.Get("Link"), "next", "max_id"))
	if names := acctTagNames(t, body); !slices.Equal(names, []string{"kea"}) {
		t.Fatalf("followed tags, second page: %v", names)
	}
	alice.json("POST", "/api/v1/tags/kea/unfollow", nil, &tag)
	if tag["following"] != false {
		t.Fatalf("unfollowed tag: %v", tag)
	}
	_, body = alice.acctGet("/api/v1/followed_tags")
	if names := acctTagNames(t, body); !slices.Equal(names, []string{"tui"}) {
		t.Fatalf("followed tags after unfollowing: %v", names)
	}
	for _, path := range []string{"/api/v1/tags/no%20space", "/api/v1/tags/123"} {
		if status, _ := alice.do("GET", path, nil); status != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, status)
		}
	}
	if status, _ := alice.do("POST", "/api/v1/tags/a%20b/follow", nil); status != http.StatusNotFound {
		t.Fatalf("following no hashtag: %d", status)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/followed_tags", nil); status != http.StatusUnauthorized {
		t.Fatalf("followed tags logged out: %d", status)
	}
}

// Featured hashtags: featured, counted, listed on the profile, suggested,
// removed; at most ten; others' are not ours to remove.
func TestAccountFeaturedTags(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	alice.postStatus(url.Values{"status": {"#kea #tui"}})
	alice.postStatus(url.Values{"status": {"#kea again"}})
	alice.postStatus(url.Values{"status": {"#kea for followers"}, "visibility": {"private"}})
	bob.postStatus(url.Values{"status": {"#kea from bob"}})

	var suggestions []map[string]any
	alice.json("GET", "/api/v1/featured_tags/suggestions", nil, &suggestions)
	if len(suggestions) != 2 || suggestions[0]["name"] != "kea" || suggestions[1]["name"] != "tui" {
		t.Fatalf("suggestions: %v", suggestions)
	}
	var ft map[string]any
	alice.json("POST", "/api/v1/featured_tags", url.Values{"name": {"#Kea"}}, &ft)
	if ft["name"] != "kea" || ft["statuses_count"] != "2" || ft["last_status_at"] != time.Now().UTC().Format("2006-01-02") ||
		ft["url"] != "http://a.test/@alice/tagged/kea" {
		t.Fatalf("featured tag: %v", ft)
	}
	alice.json("GET", "/api/v1/featured_tags/suggestions", nil, &suggestions)
	if len(suggestions) != 1 || suggestions[0]["name"] != "tui" {
		t.Fatalf("suggestions after featuring kea: %v", suggestions)
	}
	var tag map[string]any
	alice.json("POST", "/api/v1/tags/tui/feature", nil, &tag)
	if tag["featuring"] != true {
		t.Fatalf("featured through tags: %v", tag)
	}
	var list []map[string]any
	s.anonymous().json("GET", "/api/v1/accounts/"+alice.accountID()+"/featured_tags", nil, &list)
	if len(list) != 2 || list[0]["name"] != "kea" || list[1]["name"] != "tui" || list[1]["statuses_count"] != "1" {
		t.Fatalf("alice's featured tags: %v", list)
	}
	alice.json("POST", "/api/v1/tags/tui/unfeature", nil, &tag)
	if tag["featuring"] != false {
		t.Fatalf("unfeatured through tags: %v", tag)
	}

	if status, _ := bob.do("DELETE", "/api/v1/featured_tags/"+ft["id"].(string), nil); status != http.StatusNotFound {
		t.Fatalf("bob removing alice's featured tag: %d", status)
	}
	var empty map[string]any
	alice.json("DELETE", "/api/v1/featured_tags/"+ft["id"].(string), nil, &empty)
	alice.json("GET", "/api/v1/featured_tags", nil, &list)
	if len(list) != 0 {
		t.Fatalf("featured tags after removal: %v", list)
	}
	if status, _ := alice.do("DELETE", "/api/v1/featured_tags/"+ft["id"].(string), nil); status != http.StatusNotFound {
		t.Fatalf("removing it again: %d", status)
	}

	for k := 0; k < 10; k++ {
		alice.json("POST", "/api/v1/featured_tags", url.Values{"name": {fmt.Sprintf("tag%d", k)}}, nil)
	}
	if status, body := alice.do("POST", "/api/v1/featured_tags", url.Values{"name": {"eleventh"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("an eleventh featured tag: %d %s", status, body)
	}
	if status, _ := alice.do("POST", "/api/v1/featured_tags", url.Values{"name": {"not a tag"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("featuring no hashtag: %d", status)
	}
}

func acctTagNames(t *testing.T, data []byte) []string {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for k, tag := range list {
		out[k] = tag["name"].(string)
	}
	return out
}
