package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"pukeko/app/store"
)

// Accounts are added to a collection one at a time, only with their
// consent (discoverable; a locked one by its followers only; no block
// either way; remote ones not yet), each once; the curator takes them out
// again.
func TestCollectionItems(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	hidden, locked, blocker := s.user("hidden", ""), s.user("locked", ""), s.user("blocker", "")
	blocked := s.user("blocked", "")
	remote := s.acctRemote("rita", "b.test")
	hidden.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"discoverable": {"false"}}, nil)
	locked.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"locked": {"true"}}, nil)
	blocker.json("POST", "/api/v1/accounts/"+idStr(alice.identity.ID)+"/block", nil, nil)
	alice.json("POST", "/api/v1/accounts/"+idStr(blocked.identity.ID)+"/block", nil, nil)

	col := alice.createCollection(map[string]any{"name": "Friends"})
	id := col["id"].(string)
	items := "/api/v1/collections/" + id + "/items"
	add := func(who string, want int) map[string]any {
		t.Helper()
		return alice.collectionCall("POST", items, map[string]any{"account_id": who}, want)
	}

	m := add(idStr(bob.identity.ID), http.StatusOK)
	item, _ := m["collection_item"].(map[string]any)
	if len(m) != 1 || item["account_id"] != idStr(bob.identity.ID) || item["state"] != "accepted" {
		t.Fatalf("WrappedCollectionItem: %v", m)
	}
	checkEntity(t, "CollectionItem", item)
	alice.collectionCall("POST", items, url.Values{"account_id": {idStr(carol.identity.ID)}}, http.StatusOK)
	alice.collectionCall("POST", items, url.Values{"account_id": {idStr(alice.identity.ID)}}, http.StatusOK) // oneself, too

	before := collectionRows(t, s)
	for _, c := range []struct {
		account string
		status  int
		text    string
	}{
		{idStr(bob.identity.ID), http.StatusUnprocessableEntity, "Validation failed: Account has already been taken"},
		{"", http.StatusUnprocessableEntity, "`account_id` parameter is missing"},
		{"999", http.StatusUnprocessableEntity, "Validation failed: Account does not exist"},
		{"bob", http.StatusUnprocessableEntity, "Validation failed: Account does not exist"},
		{idStr(hidden.identity.ID), http.StatusForbidden, "This account cannot be added to collections"},
		{idStr(locked.identity.ID), http.StatusForbidden, "This account cannot be added to collections"},
		{idStr(blocker.identity.ID), http.StatusForbidden, "This account cannot be added to collections"},
		{idStr(blocked.identity.ID), http.StatusForbidden, "This account cannot be added to collections"},
		{idStr(remote.ID), http.StatusForbidden, "This account cannot be added to collections"},
	} {
		if m := add(c.account, c.status); m["error"] != c.text {
			t.Errorf("adding %q: %v, want %q", c.account, m, c.text)
		}
	}
	// The same refusals hold when the accounts come with the collection.
	for _, who := range []string{idStr(hidden.identity.ID), idStr(remote.ID), idStr(blocker.identity.ID)} {
		alice.collectionCall("POST", "/api/v1/collections", map[string]any{"name": "x", "account_ids": []string{idStr(bob.identity.ID), who}}, http.StatusForbidden)
	}
	if after := collectionRows(t, s); after != before {
		t.Fatalf("refused additions wrote rows: %d, then %d", before, after)
	}

	// Followers of a locked account may feature it.
	alice.json("POST", "/api/v1/accounts/"+idStr(locked.identity.ID)+"/follow", nil, nil)
	eventually(t, "alice's follow request", func() bool {
		var requests []map[string]any
		locked.json("GET", "/api/v1/follow_requests", nil, &requests)
		return len(requests) == 1
	})
	// Requested is not yet followed.
	add(idStr(locked.identity.ID), http.StatusForbidden)
	locked.json("POST", "/api/v1/follow_requests/"+idStr(alice.identity.ID)+"/authorize", nil, nil)
	eventually(t, "alice's follow of a locked account to be accepted", func() bool {
		f, err := store.FollowBetween(context.Background(), s.DB, alice.identity.ID, locked.identity.ID)
		return err == nil && f != nil && f.State == "accepted"
	})
	add(idStr(locked.identity.ID), http.StatusOK)

	col, accounts := alice.showCollection(id)
	if !slices.Equal(accounts, []string{"alice", "bob", "carol", "locked"}) || col["item_count"] != float64(4) {
		t.Fatalf("collection: %v, accounts %v", col, accounts)
	}
	wantOrder := []string{idStr(bob.identity.ID) + ":accepted", idStr(carol.identity.ID) + ":accepted",
		idStr(alice.identity.ID) + ":accepted", idStr(locked.identity.ID) + ":accepted"}
	if got := itemAccounts(col); !slices.Equal(got, wantOrder) {
		t.Fatalf("items in the order added: %v, want %v", got, wantOrder)
	}

	// Removal: by the curator only, once.
	carolItem := itemOf(col, carol.identity)
	srvStatus(t, bob, "DELETE", items+"/"+carolItem, nil, http.StatusForbidden)
	if m := alice.collectionCall("DELETE", items+"/"+carolItem, nil, http.StatusOK); len(m) != 0 {
		t.Errorf("removal answered %v", m)
	}
	srvStatus(t, alice, "DELETE", items+"/"+carolItem, nil, http.StatusNotFound)
	srvStatus(t, alice, "DELETE", items+"/nonsense", nil, http.StatusNotFound)
	col, accounts = bob.showCollection(id)
	if slices.Contains(accounts, "carol") || col["item_count"] != float64(3) || itemOf(col, carol.identity) != "" {
		t.Fatalf("after the removal: %v, accounts %v", col, accounts)
	}
	// Removed by the curator, an account may be added again.
	add(idStr(carol.identity.ID), http.StatusOK)

	// What a reader blocks is left out of the items they see, not others'.
	bob.json("POST", "/api/v1/accounts/"+idStr(carol.identity.ID)+"/block", nil, nil)
	col, accounts = bob.showCollection(id)
	if slices.Contains(accounts, "carol") || itemOf(col, carol.identity) != "" {
		t.Errorf("bob sees the account he blocks: %v", accounts)
	}
	if _, accounts = s.anonymous().showCollection(id); !slices.Contains(accounts, "carol") {
		t.Errorf("others no longer see carol: %v", accounts)
	}
	if !strings.Contains(strings.Join(accounts, " "), "bob") {
		t.Errorf("accounts: %v", accounts)
	}
}
