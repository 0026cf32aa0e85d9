package mastodon_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// A user's own domain blocks: listed and paged, posts from the domain
// hidden (but from accounts followed), follows refused, relationships
// marked.
func TestAccountDomainBlocks(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	spammer := s.acctRemote("spammer", "spam.test")
	friend := s.acctRemote("friend", "spam.test")
	other := s.acctRemote("someone", "fine.test")
	spam := s.acctRemotePost(spammer, "buy now")
	kept := s.acctRemotePost(friend, "a friend's post")
	fine := s.acctRemotePost(other, "hello")

	// friend follows alice, and alice follows friend (as if accepted).
	ctx := context.Background()
	for _, pair := range [][2]*client{{{identity: friend}, alice}, {alice, {identity: friend}}} {
		source, target := pair[0].identity.ID, pair[1].identity.ID
		if _, err := s.DB.Exec(ctx, `INSERT INTO follows (id, source_id, target_id, uri, state, state_next_attempt)
			VALUES ($1, $2, $3, $4, 'accepted', NULL)`, model.NewID(), source, target,
			"https://x.test/follows/"+idStr(source)+"/"+idStr(target)); err != nil {
			t.Fatal(err)
		}
	}

	publicIDs := func(c *client) []string {
		t.Helper()
		_, body := c.acctGet("/api/v1/timelines/public")
		var list []map[string]any
		json.Unmarshal(body, &list)
		var out []string
		for _, st := range list {
			out = append(out, st["id"].(string))
		}
		return out
	}
	all := []string{idStr(fine.ID), idStr(kept.ID), idStr(spam.ID)}
	if got := publicIDs(alice); !slices.Equal(got, all) {
		t.Fatalf("public timeline before: %v, want %v", got, all)
	}

	var empty map[string]any
	alice.json("POST", "/api/v1/domain_blocks", url.Values{"domain": {"SPAM.test"}}, &empty)
	if len(empty) != 0 {
		t.Fatalf("blocking a domain answered %v", empty)
	}
	alice.json("POST", "/api/v1/domain_blocks", map[string]any{"domain": "https://other.test/about"}, nil)
	alice.json("POST", "/api/v1/domain_blocks", url.Values{"domain": {"spam.test"}}, nil) // again: no change
	if got := publicIDs(alice); !slices.Equal(got, []string{idStr(fine.ID), idStr(kept.ID)}) {
		t.Fatalf("public timeline after blocking spam.test: %v", got)
	}
	if got := publicIDs(bob); !slices.Equal(got, all) {
		t.Fatalf("bob's public timeline: %v", got)
	}
	if status, _ := alice.do("GET", "/api/v1/statuses/"+idStr(spam.ID), nil); status != http.StatusNotFound {
		t.Fatalf("a post from a blocked domain: %d", status)
	}
	acctWant(t, "domain blocking", alice.acctRel(idStr(spammer.ID)), map[string]any{"domain_blocking": true})
	acctWant(t, "other domains", alice.acctRel(idStr(other.ID)), map[string]any{"domain_blocking": false})
	if status, body := alice.do("POST", "/api/v1/accounts/"+idStr(spammer.ID)+"/follow", nil); status != http.StatusForbidden {
		t.Fatalf("following an account of a blocked domain: %d %s", status, body)
	}
	// Followers from the domain are removed (told with a Reject).
	eventually(t, "the follower from spam.test to go", func() bool {
		f, err := store.FollowBetween(ctx, s.DB, friend.ID, alice.identity.ID)
		return err == nil && (f == nil || f.State == social.FollowRemoved || f.State == social.FollowRejecting)
	})

	resp, body := alice.acctGet("/api/v1/domain_blocks?limit=1")
	var domains []string
	json.Unmarshal(body, &domains)
	if !slices.Equal(domains, []string{"other.test"}) {
		t.Fatalf("the first page of domain blocks: %v", domains)
	}
	_, body = alice.acctGet("/api/v1/domain_blocks?limit=1&max_id=" + linkQuery(t, resp.Header.Get("Link"), "next", "max_id"))
	json.Unmarshal(body, &domains)
	if !slices.Equal(domains, []string{"spam.test"}) {
		t.Fatalf("the second page of domain blocks: %v", domains)
	}

	for name, body := range map[string]url.Values{"no domain": {}, "not a domain": {"domain": {"not a domain"}}, "ours": {"domain": {"a.test"}}} {
		if status, resp := alice.do("POST", "/api/v1/domain_blocks", body); status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, status, resp)
		}
	}
	if status, _ := s.user("rita", "read").do("POST", "/api/v1/domain_blocks", url.Values{"domain": {"x.test"}}); status != http.StatusForbidden {
		t.Fatalf("blocking a domain with a read-only token: %d", status)
	}

	alice.json("DELETE", "/api/v1/domain_blocks", url.Values{"domain": {"spam.test"}}, &empty)
	if got := publicIDs(alice); !slices.Equal(got, all) {
		t.Fatalf("public timeline after unblocking: %v", got)
	}
	_, body = alice.acctGet("/api/v1/domain_blocks")
	json.Unmarshal(body, &domains)
	if !slices.Equal(domains, []string{"other.test"}) {
		t.Fatalf("domain blocks after unblocking: %v", domains)
	}
}
