package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"pukeko/app/store"
)

// acctRelKeys are every field of Mastodon's Relationship.
var acctRelKeys = []string{"id", "following", "showing_reblogs", "notifying", "languages", "followed_by", "blocking",
	"blocked_by", "muting", "muting_notifications", "requested", "requested_by", "domain_blocking", "endorsed", "note"}

// want fails unless the relationship has each value.
func acctWant(t *testing.T, what string, rel map[string]any, values map[string]any) {
	t.Helper()
	for k, v := range values {
		got := rel[k]
		if list, ok := v.([]string); ok {
			var strs []string
			for _, x := range got.([]any) {
				strs = append(strs, x.(string))
			}
			if !slices.Equal(strs, list) {
				t.Errorf("%s: %s = %v, want %v", what, k, got, v)
			}
			continue
		}
		if got != v {
			t.Errorf("%s: %s = %v, want %v", what, k, got, v)
		}
	}
}

// Following and its options, unfollowing, removing a follower; the
// relationship as both sides see it.
func TestAccountFollowing(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")

	rel := alice.acctRel(bob.accountID())
	for _, k := range acctRelKeys {
		if _, ok := rel[k]; !ok {
			t.Errorf("relationship without %s: %v", k, rel)
		}
	}
	acctWant(t, "before", rel, map[string]any{"following": false, "requested": false, "note": "", "languages": nil})

	rel = alice.acctAction(bob.accountID(), "follow", map[string]any{"reblogs": false, "notify": true, "languages": []string{"en", "mi"}})
	acctWant(t, "after follow", rel, map[string]any{"following": true, "requested": false, "showing_reblogs": false,
		"notifying": true, "languages": []string{"en", "mi"}})
	eventually(t, "the follow to be accepted", func() bool { return bob.acctRel(alice.accountID())["followed_by"] == true })
	acctWant(t, "bob's side", bob.acctRel(alice.accountID()), map[string]any{"following": false, "followed_by": true, "requested_by": false})

	// Following again changes only what is sent.
	rel = alice.acctAction(bob.accountID(), "follow", url.Values{"reblogs": {"true"}})
	acctWant(t, "options changed", rel, map[string]any{"following": true, "showing_reblogs": true, "notifying": true,
		"languages": []string{"en", "mi"}})
	// (JSON [] is lost when parameters are flattened; null and an empty
	// languages[] say "all" too.)
	rel = alice.acctAction(bob.accountID(), "follow", map[string]any{"languages": nil})
	acctWant(t, "all languages", rel, map[string]any{"languages": nil, "notifying": true})

	// notify: bob's next post notifies alice.
	bob.postStatus(url.Values{"status": {"news"}})
	eventually(t, "a status notification", func() bool {
		n, err := s.Instance.Notifications(context.Background(), alice.identity, store.Page{}, []string{store.NotifyStatus}, nil)
		return err == nil && len(n) == 1
	})

	var followers []map[string]any
	bob.json("GET", "/api/v1/accounts/"+bob.accountID()+"/followers", nil, &followers)
	if len(followers) != 1 || followers[0]["id"] != alice.accountID() {
		t.Fatalf("bob's followers: %v", followers)
	}

	rel = bob.acctAction(alice.accountID(), "remove_from_followers", nil)
	acctWant(t, "removed", rel, map[string]any{"followed_by": false})
	eventually(t, "the removal", func() bool { return alice.acctRel(bob.accountID())["following"] == false })

	alice.acctAction(bob.accountID(), "follow", nil)
	eventually(t, "the new follow", func() bool { return bob.acctRel(alice.accountID())["followed_by"] == true })
	rel = alice.acctAction(bob.accountID(), "unfollow", nil)
	acctWant(t, "unfollowed", rel, map[string]any{"following": false, "requested": false, "showing_reblogs": false})

	for _, c := range []struct {
		path   string
		body   any
		status int
	}{
		{"/api/v1/accounts/" + alice.accountID() + "/follow", nil, http.StatusNotFound},
		{"/api/v1/accounts/424242/follow", nil, http.StatusNotFound},
		{"/api/v1/accounts/" + bob.accountID() + "/follow", map[string]any{"languages": []string{"not a language"}}, http.StatusUnprocessableEntity},
	} {
		if status, body := alice.do("POST", c.path, c.body); status != c.status {
			t.Errorf("POST %s: %d %s, want %d", c.path, status, body, c.status)
		}
	}
	reader := s.user("rita", "read")
	if status, _ := reader.do("POST", "/api/v1/accounts/"+bob.accountID()+"/follow", nil); status != http.StatusForbidden {
		t.Fatalf("following with a read-only token: %d", status)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/accounts/relationships?id[]="+bob.accountID(), nil); status != http.StatusUnauthorized {
		t.Fatalf("relationships logged out: %d", status)
	}
	granular := s.user("gina", "read:follows write:follows")
	granular.acctAction(bob.accountID(), "follow", nil)
}

// Blocks, mutes (timed, with or without notifications), notes and
// endorsements, and the lists they make.
func TestAccountBlocksMutesNotes(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")

	alice.acctAction(bob.accountID(), "follow", nil)
	eventually(t, "the follow", func() bool { return alice.acctRel(bob.accountID())["following"] == true })
	rel := alice.acctAction(bob.accountID(), "block", nil)
	acctWant(t, "blocking", rel, map[string]any{"blocking": true, "following": false, "blocked_by": false})
	acctWant(t, "blocked", bob.acctRel(alice.accountID()), map[string]any{"blocked_by": true, "blocking": false, "followed_by": false})
	if status, body := bob.do("POST", "/api/v1/accounts/"+alice.accountID()+"/follow", nil); status != http.StatusForbidden {
		t.Fatalf("following someone who blocks you: %d %s", status, body)
	}
	resp, body := alice.acctGet("/api/v1/blocks")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob"}) || !strings.Contains(resp.Header.Get("Link"), "max_id=") {
		t.Fatalf("blocks: %v %q", names, resp.Header.Get("Link"))
	}
	alice.acctAction(alice.accountID(), "block", nil) // blocking oneself does nothing
	rel = alice.acctAction(bob.accountID(), "unblock", nil)
	acctWant(t, "unblocked", rel, map[string]any{"blocking": false})
	eventually(t, "the follow to end", func() bool { return alice.acctRel(bob.accountID())["following"] == false })
	_, body = alice.acctGet("/api/v1/blocks")
	if names := usernamesOf(t, body); len(names) != 0 {
		t.Fatalf("blocks after unblocking: %v", names)
	}

	rel = alice.acctAction(carol.accountID(), "mute", map[string]any{"notifications": false, "duration": 3600})
	acctWant(t, "muting", rel, map[string]any{"muting": true, "muting_notifications": false})
	expires, err := time.Parse(time.RFC3339, rel["muting_expires_at"].(string))
	if err != nil || expires.Before(time.Now().Add(59*time.Minute)) || expires.After(time.Now().Add(61*time.Minute)) {
		t.Fatalf("mute expiry: %v %v", rel["muting_expires_at"], err)
	}
	rel = alice.acctAction(bob.accountID(), "mute", nil)
	acctWant(t, "muting with notifications", rel, map[string]any{"muting": true, "muting_notifications": true, "muting_expires_at": nil})
	var mutes []map[string]any
	alice.json("GET", "/api/v1/mutes", nil, &mutes)
	if len(mutes) != 2 || mutes[0]["id"] != bob.accountID() || mutes[0]["mute_expires_at"] != nil || mutes[1]["mute_expires_at"] == nil {
		t.Fatalf("mutes: %v", mutes)
	}
	alice.json("GET", "/api/v1/mutes?limit=1&max_id="+acctNextMaxID(t, alice, "/api/v1/mutes?limit=1"), nil, &mutes)
	if len(mutes) != 1 || mutes[0]["id"] != carol.accountID() {
		t.Fatalf("the second page of mutes: %v", mutes)
	}
	if status, _ := alice.do("POST", "/api/v1/accounts/"+bob.accountID()+"/mute", url.Values{"duration": {"soon"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad duration: %d", status)
	}
	rel = alice.acctAction(bob.accountID(), "unmute", nil)
	acctWant(t, "unmuted", rel, map[string]any{"muting": false, "muting_notifications": false})

	rel = alice.acctAction(bob.accountID(), "note", url.Values{"comment": {"met at the conference"}})
	acctWant(t, "noted", rel, map[string]any{"note": "met at the conference"})
	acctWant(t, "note is private", bob.acctRel(alice.accountID()), map[string]any{"note": ""})
	if status, _ := alice.do("POST", "/api/v1/accounts/"+bob.accountID()+"/note", url.Values{"comment": {strings.Repeat("x", 2001)}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("a long note: %d", status)
	}
	rel = alice.acctAction(bob.accountID(), "note", nil)
	acctWant(t, "note removed", rel, map[string]any{"note": ""})

	// Endorsing needs a follow.
	if status, body := alice.do("POST", "/api/v1/accounts/"+carol.accountID()+"/endorse", nil); status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(body), "already following") {
		t.Fatalf("endorsing someone not followed: %d %s", status, body)
	}
	for _, who := range []*client{bob, carol} {
		alice.acctAction(who.accountID(), "follow", nil)
		eventually(t, "the follow", func() bool { return alice.acctRel(who.accountID())["following"] == true })
	}
	acctWant(t, "endorsed", alice.acctAction(carol.accountID(), "endorse", nil), map[string]any{"endorsed": true})
	acctWant(t, "pinned", alice.acctAction(bob.accountID(), "pin", nil), map[string]any{"endorsed": true})
	_, body = alice.acctGet("/api/v1/endorsements")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob", "carol"}) {
		t.Fatalf("endorsements: %v", names)
	}
	_, body = s.anonymous().acctGet("/api/v1/accounts/" + alice.accountID() + "/endorsements")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"bob", "carol"}) {
		t.Fatalf("alice's endorsements seen by anyone: %v", names)
	}
	// An endorsement ends with the follow.
	acctWant(t, "unfollowed", alice.acctAction(bob.accountID(), "unfollow", nil), map[string]any{"endorsed": false})
	_, body = alice.acctGet("/api/v1/endorsements")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"carol"}) {
		t.Fatalf("endorsements after unfollowing bob: %v", names)
	}
	acctWant(t, "unpinned", alice.acctAction(bob.accountID(), "unpin", nil), map[string]any{"endorsed": false})
	acctWant(t, "unendorsed", alice.acctAction(carol.accountID(), "unendorse", nil), map[string]any{"endorsed": false})
	if status, _ := bob.do("GET", "/api/v1/endorsements", nil); status != http.StatusOK {
		t.Fatalf("bob's endorsements: %d", status)
	}
	if status, _ := s.user("rita", "read").do("POST", "/api/v1/accounts/"+bob.accountID()+"/block", nil); status != http.StatusForbidden {
		t.Fatalf("blocking with a read-only token: %d", status)
	}
}

// linkParamOf reads the max_id of the next link of GET path.
func acctNextMaxID(t *testing.T, c *client, path string) string {
	t.Helper()
	resp, _ := c.acctGet(path)
	return linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
}
