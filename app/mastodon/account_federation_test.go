package mastodon_test

import (
	"net/url"
	"testing"
)

// Following accounts of another server through the API: found by search
// with resolve=true, then by lookup; an unlocked one accepts, a locked
// one's owner sees the request and authorizes it.
func TestAccountFederatedFollow(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice := a.user("alice", "")
	bob := b.user("bob", "")
	carol := b.user("carol", "")
	carol.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"locked": {"true"}}, nil)

	if status, _ := alice.do("GET", "/api/v1/accounts/lookup?acct=bob@b.test", nil); status != 404 {
		t.Fatalf("lookup of an account never seen: %d (lookup never asks other servers)", status)
	}
	var found []map[string]any
	alice.json("GET", "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape("@bob@b.test"), nil, &found)
	if len(found) != 1 || found[0]["acct"] != "bob@b.test" || found[0]["url"] != "http://b.test/@bob" {
		t.Fatalf("search with resolve: %v", found)
	}
	bobID := found[0]["id"].(string)
	var acc map[string]any
	alice.json("GET", "/api/v1/accounts/lookup?acct=bob@b.test", nil, &acc)
	if acc["id"] != bobID {
		t.Fatalf("lookup after resolving: %v", acc)
	}

	rel := alice.acctAction(bobID, "follow", nil)
	acctWant(t, "a remote follow", rel, map[string]any{"requested": true, "following": false})
	eventually(t, "bob's server to accept", func() bool { return alice.acctRel(bobID)["following"] == true })
	eventually(t, "bob to see alice following", func() bool {
		var list []map[string]any
		bob.json("GET", "/api/v1/accounts/"+bob.accountID()+"/followers", nil, &list)
		return len(list) == 1 && list[0]["acct"] == "alice@a.test"
	})

	alice.json("GET", "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape("carol@b.test"), nil, &found)
	if len(found) != 1 || found[0]["locked"] != true {
		t.Fatalf("carol found: %v", found)
	}
	carolID := found[0]["id"].(string)
	acctWant(t, "a request to a locked account", alice.acctAction(carolID, "follow", nil), map[string]any{"requested": true})
	var requests []map[string]any
	eventually(t, "the request to reach carol", func() bool {
		carol.json("GET", "/api/v1/follow_requests", nil, &requests)
		return len(requests) == 1
	})
	if requests[0]["acct"] != "alice@a.test" {
		t.Fatalf("carol's follow requests: %v", requests)
	}
	aliceOnB := requests[0]["id"].(string)
	var out map[string]any
	carol.json("POST", "/api/v1/follow_requests/"+aliceOnB+"/authorize", nil, &out)
	acctWant(t, "authorized", out, map[string]any{"followed_by": true, "requested_by": false})
	eventually(t, "alice to follow carol", func() bool { return alice.acctRel(carolID)["following"] == true })

	rel = alice.acctAction(bobID, "unfollow", nil)
	acctWant(t, "unfollowed", rel, map[string]any{"following": false, "requested": false})
	eventually(t, "bob to lose a follower", func() bool {
		var list []map[string]any
		bob.json("GET", "/api/v1/accounts/"+bob.accountID()+"/followers", nil, &list)
		return len(list) == 0
	})
}
