package mastodon_test

import (
	"context"
	"net/url"
	"slices"
	"testing"
	"time"
)

// homeIDs returns the status ids of c's home timeline.
func homeIDs(c *client) []string {
	c.t.Helper()
	var home []map[string]any
	c.json("GET", "/api/v1/timelines/home?limit=40", nil, &home)
	var ids []string
	for _, st := range home {
		ids = append(ids, st["id"].(string))
	}
	return ids
}

// A follow limited to languages applies to the follower's home stream as
// to the home timeline, and compares base languages: "pt-BR" and "EN"
// (written "en", as Mastodon's locales are) take posts in "pt" and
// "en-GB", and posts without a language.
func TestFollowLanguagesStreamAndRegions(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	closeStreamsFirst(t, s)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	rel := bob.acctAction(alice.accountID(), "follow", map[string]any{"languages": []string{"pt-BR", "EN"}})
	if !slices.Equal(anyStrings(rel["languages"]), []string{"pt-BR", "en"}) {
		t.Fatalf("relationship: %v", rel)
	}
	waitAccepted(t, s, bob, alice)
	_, ws := openWebSocket(t, s, bob, "stream=user")
	post := func(text, lang string) string {
		return alice.postStatus(map[string]any{"status": text, "language": lang})
	}
	maori := post("kia ora", "mi")
	waitFannedOut(t, s, maori)
	portuguese, english, none := post("olá", "pt"), post("hello", "en-GB"), post("🙂", "")
	// They may fan out in any order.
	want := map[string]bool{portuguese: true, english: true, none: true}
	for len(want) > 0 {
		e := ws.next("the other posts in bob's home stream", func(e streamEvent) bool { return e.Event == "update" })
		id, _ := e.object(t)["id"].(string)
		if id == maori {
			t.Fatalf("the post in Māori reached bob's home stream")
		}
		delete(want, id)
	}
	ws.none("the post in Māori", 500*time.Millisecond, isStatusEvent("update", maori))
	ids := homeIDs(bob)
	if slices.Contains(ids, maori) || !slices.Contains(ids, portuguese) || !slices.Contains(ids, english) || !slices.Contains(ids, none) {
		t.Fatalf("bob's home %v: want %s, %s and %s, not %s", ids, portuguese, english, none, maori)
	}
}

// The languages of a follow of an account on another server apply to the
// posts that arrive from it.
func TestFollowLanguagesRemote(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice, bob := a.user("alice", ""), b.user("bob", "")
	var found []map[string]any
	bob.json("GET", "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape("@alice@a.test"), nil, &found)
	if len(found) != 1 {
		t.Fatalf("search: %v", found)
	}
	aliceOnB := found[0]["id"].(string)
	bob.acctAction(aliceOnB, "follow", map[string]any{"languages": []string{"en"}})
	eventually(t, "the follow to be accepted", func() bool { return bob.acctRel(aliceOnB)["following"] == true })

	post := func(text, lang string) string {
		var st map[string]any
		alice.json("POST", "/api/v1/statuses", map[string]any{"status": text, "language": lang}, &st)
		return st["uri"].(string)
	}
	maori, english, none := post("kia ora", "mi"), post("hello", "en"), post("🙂", "")
	// Every post reaches b (bob follows alice); only some reach his home.
	onB := map[string]string{}
	for _, uri := range []string{maori, english, none} {
		eventually(t, "the post to reach b.test", func() bool {
			var id string
			if b.DB.QueryRow(context.Background(), "SELECT id::text FROM posts WHERE uri = $1", uri).Scan(&id) != nil {
				return false
			}
			onB[uri] = id
			return true
		})
		waitFannedOut(t, b, onB[uri])
	}
	ids := homeIDs(bob)
	if slices.Contains(ids, onB[maori]) || !slices.Contains(ids, onB[english]) || !slices.Contains(ids, onB[none]) {
		t.Fatalf("bob's home %v: want %s and %s, not %s", ids, onB[english], onB[none], onB[maori])
	}
}
