package mastodon_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The smaller endpoints: health, removing profile images, the direct
// timeline and the (always empty) notification requests.
func TestExtras(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")

	resp, body := s.anonymous().request("GET", "/health", nil, nil)
	if resp.StatusCode != 200 || string(body) != "OK" {
		t.Fatalf("/health: %d %q", resp.StatusCode, body)
	}

	var acc map[string]any
	alice.json("PATCH", "/api/v1/accounts/update_credentials", multipartForm(nil, "avatar", "me.jpg", testJPEG(t, 100, 100)), &acc)
	if strings.HasSuffix(acc["avatar"].(string), "missing.png") {
		t.Fatalf("avatar after upload: %v", acc["avatar"])
	}
	alice.json("DELETE", "/api/v1/profile/avatar", nil, &acc)
	if !strings.HasSuffix(acc["avatar"].(string), "/avatars/original/missing.png") {
		t.Fatalf("avatar after removal: %v", acc["avatar"])
	}

	var dm map[string]any
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "@bob psst", "visibility": "direct"}, &dm)
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "hello all"}, nil)
	for _, c := range []struct {
		who  *client
		want int
	}{{alice, 1}, {bob, 1}, {carol, 0}} {
		var list []map[string]any
		c.who.json("GET", "/api/v1/timelines/direct", nil, &list)
		if len(list) != c.want || (c.want == 1 && list[0]["id"] != dm["id"]) {
			t.Fatalf("%s's direct timeline: %v", c.who.identity.Username, list)
		}
	}

	var reqs []any
	alice.json("GET", "/api/v1/notifications/requests", nil, &reqs)
	if len(reqs) != 0 {
		t.Fatalf("notification requests: %v", reqs)
	}
	if status, _ := alice.do("POST", "/api/v1/notifications/requests/1/accept", nil); status != http.StatusNotFound {
		t.Fatalf("accepting an unknown request: %d", status)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/timelines/direct", nil); status != http.StatusUnauthorized {
		t.Fatalf("direct timeline logged out: %d", status)
	}
}

// GET and PATCH /api/v1/profile: the profile as typed, edited.
func TestProfileAPI(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	var p map[string]any
	alice.json("GET", "/api/v1/profile", nil, &p)
	if p["display_name"] != "Alice" || p["avatar"] != nil || p["note"] != "" {
		t.Fatalf("profile: %v", p)
	}
	alice.json("PATCH", "/api/v1/profile", map[string]any{"display_name": "Alice K", "note": "I like #kea",
		"fields_attributes": []map[string]string{{"name": "site", "value": "<kea.example>"}}, "locked": true}, &p)
	fields, _ := p["fields"].([]any)
	if p["display_name"] != "Alice K" || p["note"] != "I like #kea" || p["locked"] != true || len(fields) != 1 ||
		fields[0].(map[string]any)["value"] != "<kea.example>" {
		t.Fatalf("edited profile: %v", p)
	}
	var acc map[string]any
	alice.json("GET", "/api/v1/accounts/verify_credentials", nil, &acc)
	if acc["display_name"] != "Alice K" || !strings.Contains(acc["note"].(string), "/tags/kea") || acc["locked"] != true {
		t.Fatalf("the account after a profile edit: %v", acc)
	}
	if status, _ := s.user("rita", "read").do("PATCH", "/api/v1/profile", map[string]any{"display_name": "x"}); status != http.StatusForbidden {
		t.Fatalf("a read-only token editing: %d", status)
	}
}

// oEmbed describes public posts for other sites, nothing else.
func TestOEmbed(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	var pub, priv map[string]any
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "embed me"}, &pub)
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "not me", "visibility": "private"}, &priv)
	var o map[string]any
	s.anonymous().json("GET", "/api/oembed?url="+url.QueryEscape(pub["uri"].(string)), nil, &o)
	if o["type"] != "rich" || o["author_name"] != "Alice" || !strings.Contains(o["html"].(string), pub["uri"].(string)) {
		t.Fatalf("oEmbed: %v", o)
	}
	if status, _ := s.anonymous().do("GET", "/api/oembed?url="+url.QueryEscape(priv["uri"].(string)), nil); status != http.StatusNotFound {
		t.Fatalf("oEmbed of a followers-only post: %d", status)
	}
	if status, _ := s.anonymous().do("GET", "/api/oembed?url=https://elsewhere.example/1", nil); status != http.StatusNotFound {
		t.Fatalf("oEmbed of another server's post: %d", status)
	}
}
