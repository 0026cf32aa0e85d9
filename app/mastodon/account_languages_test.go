package mastodon_test

import (
	"slices"
	"testing"
)

// A follow limited to some languages brings only posts in them (and posts
// that say no language) to the follower's home timeline.
func TestAccountFollowLanguages(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	var rel map[string]any
	bob.json("POST", "/api/v1/accounts/"+idStr(alice.identity.ID)+"/follow", map[string]any{"languages": []string{"en"}}, &rel)
	if rel["following"] != true || !slices.Equal(anyStrings(rel["languages"]), []string{"en"}) {
		t.Fatalf("relationship: %v", rel)
	}
	post := func(text, lang string) string {
		var st map[string]any
		alice.json("POST", "/api/v1/statuses", map[string]any{"status": text, "language": lang}, &st)
		return st["id"].(string)
	}
	maori, english, unknown := post("kia ora", "mi"), post("hello", "en-NZ"), post("🙂", "")
	var home []map[string]any
	eventually(t, "bob's home timeline", func() bool {
		bob.json("GET", "/api/v1/timelines/home", nil, &home)
		return len(home) >= 2
	})
	var ids []string
	for _, st := range home {
		ids = append(ids, st["id"].(string))
	}
	if slices.Contains(ids, maori) || !slices.Contains(ids, english) || !slices.Contains(ids, unknown) {
		t.Fatalf("bob's home %v: want %s and %s, not %s", ids, english, unknown, maori)
	}
}
