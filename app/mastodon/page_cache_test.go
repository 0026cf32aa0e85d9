package mastodon_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/mastodon"
	"pukeko/app/model"
	"pukeko/app/store"
)

// homeOf reads a client's home timeline.
func homeOf(c *client) []map[string]any {
	c.t.Helper()
	var page []map[string]any
	c.json("GET", "/api/v1/timelines/home", nil, &page)
	return page
}

// statusIn finds a status by id in a page.
func statusIn(t *testing.T, page []map[string]any, id string) map[string]any {
	t.Helper()
	for _, s := range page {
		if s["id"] == id {
			return s
		}
	}
	t.Fatalf("status %s is not on the page", id)
	return nil
}

// syncPages waits until s's page cache has applied every change
// committed so far.
func syncPages(t *testing.T, s *server) {
	t.Helper()
	if !mastodon.SyncPageCache(s.API) {
		t.Fatal("the page cache's listener did not answer a barrier")
	}
}

// servedFromMemory waits until a repeated read of the home timeline is
// answered from the page cache.
func servedFromMemory(t *testing.T, s *server, c *client) {
	t.Helper()
	eventually(t, "an answer from the page cache", func() bool {
		hits, _, _ := mastodon.PageCacheStats(s.API)
		homeOf(c)
		homeOf(c)
		after, _, _ := mastodon.PageCacheStats(s.API)
		return after > hits
	})
}

// TestHomePageCache reads a home timeline while others and the reader
// change what it shows: an answer kept in memory is never served once a
// change it shows has been committed and its notice applied, the
// reader's own writes show at once, time-bound things (filters, mutes,
// polls) end on time, and a lost listener serves nothing from memory.
func TestHomePageCache(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	mastodon.TrustPageCache(s.API)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	alice.json("POST", "/api/v1/accounts/"+bob.accountID()+"/follow", nil, nil)
	waitAccepted(t, s, alice, bob)
	var first, polled map[string]any
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "first"}, &first)
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "a question",
		"poll": map[string]any{"options": []string{"yes", "no"}, "expires_in": 3600}}, &polled)
	firstID, polledID := first["id"].(string), polled["id"].(string)
	eventually(t, "bob's posts on alice's home", func() bool { return len(homeOf(alice)) == 2 })
	servedFromMemory(t, s, alice)

	t.Run("others' changes", func(t *testing.T) {
		servedFromMemory(t, s, alice)
		carol.json("POST", "/api/v1/statuses/"+firstID+"/favourite", nil, nil)
		syncPages(t, s)
		if n := statusIn(t, homeOf(alice), firstID)["favourites_count"]; n != 1.0 {
			t.Errorf("favourites_count after carol's favourite = %v, want 1", n)
		}
		servedFromMemory(t, s, alice)
		bob.json("PATCH", "/api/v1/accounts/update_credentials", map[string]any{"display_name": "Bob B."}, nil)
		syncPages(t, s)
		if name := statusIn(t, homeOf(alice), firstID)["account"].(map[string]any)["display_name"]; name != "Bob B." {
			t.Errorf("display_name after bob's edit = %v", name)
		}
		servedFromMemory(t, s, alice)
		bob.json("PUT", "/api/v1/statuses/"+firstID, map[string]any{"status": "first, edited"}, nil)
		syncPages(t, s)
		if content := statusIn(t, homeOf(alice), firstID)["content"].(string); !strings.Contains(content, "edited") {
			t.Errorf("content after bob's edit = %q", content)
		}
		var third map[string]any
		bob.json("POST", "/api/v1/statuses", map[string]any{"status": "third"}, &third)
		eventually(t, "bob's third post on alice's home", func() bool { return len(homeOf(alice)) == 3 })
		bob.do("DELETE", "/api/v1/statuses/"+third["id"].(string), nil)
		eventually(t, "bob's deleted post gone from alice's home", func() bool { return len(homeOf(alice)) == 2 })
	})

	t.Run("the reader's own writes show at once", func(t *testing.T) {
		servedFromMemory(t, s, alice)
		alice.json("POST", "/api/v1/statuses/"+polledID+"/favourite", nil, nil)
		if fav := statusIn(t, homeOf(alice), polledID)["favourited"]; fav != true {
			t.Errorf("favourited right after alice's favourite = %v", fav)
		}
		servedFromMemory(t, s, alice)
		alice.json("POST", "/api/v1/polls/"+polledID+"/votes", map[string]any{"choices": []int{1}}, nil)
		if voted := statusIn(t, homeOf(alice), polledID)["poll"].(map[string]any)["voted"]; voted != true {
			t.Errorf("poll voted right after alice's vote = %v", voted)
		}
	})

	t.Run("a filter ends on time", func(t *testing.T) {
		servedFromMemory(t, s, alice)
		alice.json("POST", "/api/v2/filters", map[string]any{"title": "no questions", "context": []string{"home"},
			"filter_action": "hide", "expires_in": 3, "keywords_attributes": []map[string]any{{"keyword": "question"}}}, nil)
		ends := time.Now().Add(3 * time.Second)
		if n := len(homeOf(alice)); n != 1 {
			t.Fatalf("%d statuses with a hiding filter, want 1", n)
		}
		servedFromMemory(t, s, alice)
		time.Sleep(time.Until(ends) + 200*time.Millisecond)
		if n := len(homeOf(alice)); n != 2 {
			t.Errorf("%d statuses once the filter expired, want 2", n)
		}
	})

	t.Run("a mute ends on time", func(t *testing.T) {
		servedFromMemory(t, s, alice)
		// Stator lifts a mute when it ends, but not before the next time
		// it looks: until then, the expiry alone says the mute is over.
		alice.json("POST", "/api/v1/accounts/"+bob.accountID()+"/mute", map[string]any{"duration": 3600}, nil)
		sql(t, s, `UPDATE blocks SET expires = now() + interval '3 seconds' WHERE source_id = $1`, alice.identity.ID)
		ends := time.Now().Add(3 * time.Second)
		syncPages(t, s)
		if n := len(homeOf(alice)); n != 0 {
			t.Fatalf("%d statuses while bob is muted, want 0", n)
		}
		servedFromMemory(t, s, alice)
		time.Sleep(time.Until(ends) + 200*time.Millisecond)
		if n := len(homeOf(alice)); n != 2 {
			t.Errorf("%d statuses once the mute expired, want 2", n)
		}
	})

	t.Run("a poll ends on time", func(t *testing.T) {
		sql(t, s, `UPDATE polls SET expires = now() + interval '3 seconds' WHERE post_id = $1`, polledID)
		ends := time.Now().Add(3 * time.Second)
		syncPages(t, s)
		servedFromMemory(t, s, alice)
		until := mastodon.KeptPageUntil(s.API, alice.identity.ID)
		if len(until) == 0 || until[0].After(ends) {
			t.Fatalf("answers kept until %v, want none past the poll's end %v (page of %d)", until, ends, len(homeOf(alice)))
		}
		time.Sleep(time.Until(ends) + 200*time.Millisecond)
		if expired := statusIn(t, homeOf(alice), polledID)["poll"].(map[string]any)["expired"]; expired != true {
			t.Errorf("poll expired once its time was up = %v", expired)
		}
	})

	t.Run("a lost listener serves nothing from memory", func(t *testing.T) {
		servedFromMemory(t, s, alice)
		_, _, resets := mastodon.PageCacheStats(s.API)
		sql(t, s, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE application_name = 'pukeko-page-listener' AND datname = current_database()`)
		eventually(t, "the page cache to notice its lost listener", func() bool {
			_, _, now := mastodon.PageCacheStats(s.API)
			return now > resets
		})
		// Changed behind the API's back while the listener may be away:
		// its notice may never arrive.
		sql(t, s, `UPDATE posts SET content = '<p>changed behind</p>' WHERE id = $1`, firstID)
		if content := statusIn(t, homeOf(alice), firstID)["content"]; content != "<p>changed behind</p>" {
			t.Errorf("content after a change while the listener was lost = %v", content)
		}
		servedFromMemory(t, s, alice) // back once listening again
	})
}

// TestChangeNotices checks that each kind of write a client makes sends
// the change notice that drops the answers it alters.
func TestChangeNotices(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	a, b, c := alice.identity.ID, bob.identity.ID, carol.identity.ID
	r := func(ids ...model.ID) []string {
		var out []string
		for _, id := range ids {
			out = append(out, fmt.Sprintf("r:%d", id))
		}
		return out
	}
	p := func(id string) string { return "p:" + id }

	var post, polled map[string]any
	expectNotices(t, s, "alice follows bob", r(a, b), func() {
		alice.json("POST", "/api/v1/accounts/"+bob.accountID()+"/follow", nil, nil)
		waitAccepted(t, s, alice, bob)
	})
	expectNotices(t, s, "bob posts", r(a), func() {
		bob.json("POST", "/api/v1/statuses", map[string]any{"status": "hello @alice"}, &post)
		eventually(t, "bob's post on alice's home", func() bool { return len(homeOf(alice)) == 1 })
	})
	id := post["id"].(string)
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "a question",
		"poll": map[string]any{"options": []string{"yes", "no"}, "expires_in": 3600}}, &polled)
	pollID := polled["id"].(string)

	expectNotices(t, s, "carol favourites", append(r(c), p(id)), func() {
		carol.json("POST", "/api/v1/statuses/"+id+"/favourite", nil, nil)
	})
	expectNotices(t, s, "alice boosts", append(r(a), p(id)), func() {
		alice.json("POST", "/api/v1/statuses/"+id+"/reblog", nil, nil)
	})
	expectNotices(t, s, "alice bookmarks", r(a), func() {
		alice.json("POST", "/api/v1/statuses/"+id+"/bookmark", nil, nil)
	})
	expectNotices(t, s, "alice mutes the thread", r(a), func() {
		alice.json("POST", "/api/v1/statuses/"+id+"/mute", nil, nil)
	})
	expectNotices(t, s, "alice votes", append(r(a), p(pollID)), func() {
		alice.json("POST", "/api/v1/polls/"+pollID+"/votes", map[string]any{"choices": []int{0}}, nil)
	})
	expectNotices(t, s, "bob edits", []string{p(id)}, func() {
		bob.json("PUT", "/api/v1/statuses/"+id, map[string]any{"status": "hello again @alice"}, nil)
	})
	expectNotices(t, s, "bob edits his profile", []string{fmt.Sprintf("i:%d", b)}, func() {
		bob.json("PATCH", "/api/v1/accounts/update_credentials", map[string]any{"note": "birds"}, nil)
	})
	expectNotices(t, s, "alice mutes carol", r(a, c), func() {
		alice.json("POST", "/api/v1/accounts/"+carol.accountID()+"/mute", nil, nil)
	})
	expectNotices(t, s, "carol blocks alice", r(a, c), func() {
		carol.json("POST", "/api/v1/accounts/"+alice.accountID()+"/block", nil, nil)
	})
	expectNotices(t, s, "alice blocks a domain", r(a), func() {
		alice.json("POST", "/api/v1/domain_blocks", map[string]any{"domain": "example.test"}, nil)
	})
	var list map[string]any
	expectNotices(t, s, "alice makes an exclusive list", r(a), func() {
		alice.json("POST", "/api/v1/lists", map[string]any{"title": "Birds", "exclusive": true}, &list)
	})
	expectNotices(t, s, "alice lists bob", r(a), func() {
		alice.json("POST", "/api/v1/lists/"+list["id"].(string)+"/accounts", map[string]any{"account_ids": []string{bob.accountID()}}, nil)
	})
	var filter map[string]any
	expectNotices(t, s, "alice makes a filter", r(a), func() {
		alice.json("POST", "/api/v2/filters", map[string]any{"title": "f", "context": []string{"home"}}, &filter)
	})
	expectNotices(t, s, "alice adds a keyword", r(a), func() {
		alice.json("POST", "/api/v2/filters/"+filter["id"].(string)+"/keywords", map[string]any{"keyword": "owl"}, nil)
	})
	expectNotices(t, s, "a card changes", []string{p(id)}, func() {
		sql(t, s, `INSERT INTO preview_cards (id, url) VALUES (1, 'https://example.test/')`)
		sql(t, s, `INSERT INTO post_preview_cards (id, card_id) VALUES ($1, 1) ON CONFLICT (id) DO UPDATE SET card_id = 1`, id)
		sql(t, s, `UPDATE preview_cards SET title = 'Example' WHERE id = 1`)
	})
	expectNotices(t, s, "an emoji changes", []string{"*"}, func() {
		sql(t, s, `INSERT INTO emoji (id, shortcode, image_url) VALUES (1, 'owl', 'https://example.test/owl.png')`)
		sql(t, s, `UPDATE emoji SET image_url = 'https://example.test/owl2.png' WHERE id = 1`)
	})
	expectNotices(t, s, "bob deletes", []string{p(id), r(a)[0]}, func() {
		bob.do("DELETE", "/api/v1/statuses/"+id, nil)
		eventually(t, "the deletion on alice's home", func() bool {
			for _, st := range homeOf(alice) {
				if st["id"] == id || (st["reblog"] != nil && st["reblog"].(map[string]any)["id"] == id) {
					return false
				}
			}
			return true
		})
	})
}

// sql runs a statement on s's database.
func sql(t *testing.T, s *server, q string, args ...any) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// expectNotices runs action and fails unless every notice in want came
// on the change channel meanwhile.
func expectNotices(t *testing.T, s *server, what string, want []string, action func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(ctx, s.DB.Config().ConnConfig.Copy())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN pukeko_changes"); err != nil {
		t.Fatal(err)
	}
	action()
	if err := store.SendBarrier(ctx, s.DB, "test-end"); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			t.Fatalf("%s: waiting for notices: %v", what, err)
		}
		if n.Payload == "b:test-end" {
			break
		}
		for _, part := range splitNotice(n.Payload) {
			got[part] = true
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("%s: no notice %s among %v", what, w, got)
		}
	}
}

// splitNotice splits "r:1,2" into "r:1" and "r:2".
func splitNotice(payload string) []string {
	kind, ids, ok := strings.Cut(payload, ":")
	if !ok {
		return []string{payload}
	}
	var out []string
	for id := range strings.SplitSeq(ids, ",") {
		out = append(out, kind+":"+id)
	}
	return out
}

// TestHomePageCacheAcrossProcesses reads a home timeline from a second
// web process on the same database: what is written through the first
// (and by its Stator) drops the answers the second keeps.
func TestHomePageCacheAcrossProcesses(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	peer := startPeerNode(t, s, "PUKEKO_API_RATE_LIMIT=0")
	mastodon.TrustPageCache(peer.API)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	aliceThere := alice.onNode(peer)
	alice.json("POST", "/api/v1/accounts/"+bob.accountID()+"/follow", nil, nil)
	waitAccepted(t, s, alice, bob)
	var post map[string]any
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "hello"}, &post)
	id := post["id"].(string)
	eventually(t, "bob's post on alice's home, read from the peer", func() bool { return len(homeOf(aliceThere)) == 1 })

	servedFromMemory(t, peer, aliceThere)
	carol.json("POST", "/api/v1/statuses/"+id+"/favourite", nil, nil)
	syncPages(t, peer)
	if n := statusIn(t, homeOf(aliceThere), id)["favourites_count"]; n != 1.0 {
		t.Errorf("favourites_count on the peer after carol's favourite = %v, want 1", n)
	}

	servedFromMemory(t, peer, aliceThere)
	alice.json("POST", "/api/v1/statuses/"+id+"/bookmark", nil, nil)
	syncPages(t, peer)
	if b := statusIn(t, homeOf(aliceThere), id)["bookmarked"]; b != true {
		t.Errorf("bookmarked on the peer after alice's bookmark elsewhere = %v", b)
	}
}

// TestPageCacheListenerStopsWhenIdle checks that a process nobody reads
// timelines from holds no listener, and that the next reader brings it
// back.
func TestPageCacheListenerStopsWhenIdle(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_API_RATE_LIMIT=0")
	mastodon.SetPageCacheIdle(s.API, 2*time.Second)
	alice := s.user("alice", "")
	listeners := func() int {
		var n int
		err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = 'pukeko-page-listener' AND datname = current_database()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := listeners(); n != 0 {
		t.Fatalf("%d page listeners before any timeline was read", n)
	}
	servedFromMemory(t, s, alice)
	if n := listeners(); n != 1 {
		t.Fatalf("%d page listeners while timelines are read, want 1", n)
	}
	eventually(t, "the idle listener to stop", func() bool { return listeners() == 0 })
	servedFromMemory(t, s, alice)
	if n := listeners(); n != 1 {
		t.Fatalf("%d page listeners once timelines are read again, want 1", n)
	}
}
