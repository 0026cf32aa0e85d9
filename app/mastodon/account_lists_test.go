package mastodon_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// Followers and following, paged by Link headers; hidden collections.
func TestAccountFollowerLists(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	fans := []*client{s.user("fan1", ""), s.user("fan2", ""), s.user("fan3", "")}
	for _, f := range fans {
		f.acctAction(alice.accountID(), "follow", nil)
	}
	alice.acctAction(fans[0].accountID(), "follow", nil)
	eventually(t, "three followers", func() bool {
		_, body := alice.acctGet("/api/v1/accounts/" + alice.accountID() + "/followers")
		return len(usernamesOf(t, body)) == 3
	})
	anon := s.anonymous()
	resp, body := anon.acctGet("/api/v1/accounts/" + alice.accountID() + "/followers?limit=2")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"fan3", "fan2"}) {
		t.Fatalf("the first page of followers: %v", names)
	}
	next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	_, body = anon.acctGet("/api/v1/accounts/" + alice.accountID() + "/followers?limit=2&max_id=" + next)
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"fan1"}) {
		t.Fatalf("the second page of followers: %v", names)
	}
	prev := linkQuery(t, resp.Header.Get("Link"), "prev", "min_id")
	_, body = anon.acctGet("/api/v1/accounts/" + alice.accountID() + "/followers?since_id=" + next)
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"fan3"}) {
		t.Fatalf("followers since fan2: %v (prev min_id %s)", names, prev)
	}
	_, body = anon.acctGet("/api/v1/accounts/" + fans[0].accountID() + "/following")
	if names := usernamesOf(t, body); !slices.Equal(names, []string{"alice"}) {
		t.Fatalf("fan1 follows: %v", names)
	}
	eventually(t, "alice following fan1", func() bool {
		_, body := anon.acctGet("/api/v1/accounts/" + alice.accountID() + "/following")
		return slices.Equal(usernamesOf(t, body), []string{"fan1"})
	})

	// Hidden collections: empty for everyone else, whole for the owner.
	alice.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"hide_collections": {"true"}}, nil)
	for _, path := range []string{"/followers", "/following"} {
		_, body = fans[1].acctGet("/api/v1/accounts/" + alice.accountID() + path)
		if names := usernamesOf(t, body); len(names) != 0 {
			t.Errorf("hidden %s seen by fan2: %v", path, names)
		}
		_, body = alice.acctGet("/api/v1/accounts/" + alice.accountID() + path)
		if names := usernamesOf(t, body); len(names) == 0 {
			t.Errorf("alice's own %s hidden from her", path)
		}
	}
	_, body = anon.acctGet("/api/v1/accounts/" + alice.accountID())
	if acc := obj(t, body); acc["followers_count"] != float64(3) || acc["hide_collections"] != true {
		t.Fatalf("counts stay when collections are hidden: %v", acc)
	}
	if status, _ := anon.do("GET", "/api/v1/accounts/777/followers", nil); status != http.StatusNotFound {
		t.Fatalf("followers of nobody: %d", status)
	}
}

// A locked account's follow requests: listed, authorized, rejected.
func TestAccountFollowRequests(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	carol := s.user("carol", "")
	var me map[string]any
	alice.json("PATCH", "/api/v1/accounts/update_credentials", map[string]any{"locked": true}, &me)
	if me["locked"] != true {
		t.Fatalf("locking: %v", me)
	}

	rel := bob.acctAction(alice.accountID(), "follow", nil)
	acctWant(t, "a request", rel, map[string]any{"following": false, "requested": true})
	carol.acctAction(alice.accountID(), "follow", nil)
	var requests []map[string]any
	eventually(t, "two requests", func() bool {
		alice.json("GET", "/api/v1/follow_requests", nil, &requests)
		return len(requests) == 2
	})
	if requests[0]["id"] != carol.accountID() || requests[1]["id"] != bob.accountID() {
		t.Fatalf("follow requests: %v", requests)
	}
	acctWant(t, "requested by bob", alice.acctRel(bob.accountID()), map[string]any{"requested_by": true, "followed_by": false})
	alice.json("PATCH", "/api/v1/accounts/update_credentials", nil, &me)
	if src := me["source"].(map[string]any); src["follow_requests_count"] != float64(2) {
		t.Fatalf("follow requests counted in the source: %v", src)
	}

	var out map[string]any
	alice.json("POST", "/api/v1/follow_requests/"+bob.accountID()+"/authorize", nil, &out)
	acctWant(t, "authorized", out, map[string]any{"id": bob.accountID(), "followed_by": true, "requested_by": false})
	eventually(t, "bob following", func() bool { return bob.acctRel(alice.accountID())["following"] == true })
	alice.json("POST", "/api/v1/follow_requests/"+carol.accountID()+"/reject", nil, &out)
	acctWant(t, "rejected", out, map[string]any{"id": carol.accountID(), "followed_by": false, "requested_by": false})
	eventually(t, "carol's request gone", func() bool {
		rel := carol.acctRel(alice.accountID())
		return rel["requested"] == false && rel["following"] == false
	})
	alice.json("GET", "/api/v1/follow_requests", nil, &requests)
	if len(requests) != 0 {
		t.Fatalf("requests left: %v", requests)
	}
	for _, path := range []string{"/api/v1/follow_requests/" + carol.accountID() + "/authorize", "/api/v1/follow_requests/" + bob.accountID() + "/reject",
		"/api/v1/follow_requests/999/authorize"} {
		if status, _ := alice.do("POST", path, nil); status != http.StatusNotFound {
			t.Errorf("POST %s without a request: %d", path, status)
		}
	}
	// Only the requested account can answer.
	carol.acctAction(alice.accountID(), "follow", nil)
	eventually(t, "carol asking again", func() bool { return alice.acctRel(carol.accountID())["requested_by"] == true })
	if status, _ := bob.do("POST", "/api/v1/follow_requests/"+carol.accountID()+"/authorize", nil); status != http.StatusNotFound {
		t.Fatalf("bob authorizing a request to alice: %d", status)
	}
}
