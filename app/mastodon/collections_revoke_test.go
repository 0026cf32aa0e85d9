package mastodon_test

import (
	"net/http"
	"slices"
	"testing"
)

// A featured account sees the collections it is in, and withdraws from
// one: its item is revoked, shown to nobody, and the curator cannot add it
// back.
func TestCollectionRevoke(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")

	birds := alice.createCollection(map[string]any{"name": "Birds", "discoverable": false,
		"account_ids": []string{idStr(bob.identity.ID), idStr(carol.identity.ID)}})
	fish := alice.createCollection(map[string]any{"name": "Fish", "account_ids": []string{idStr(bob.identity.ID)}})
	carol.createCollection(map[string]any{"name": "Carol's", "account_ids": []string{idStr(alice.identity.ID)}})
	id := birds["id"].(string)
	bobItem := itemOf(birds, bob.identity)

	// in_collections: the caller's own, unlisted ones included; another
	// account's are refused, as are logged-out callers.
	bobIn := "/api/v1/accounts/" + idStr(bob.identity.ID) + "/in_collections"
	if names, _ := bob.collectionList(bobIn); !slices.Equal(names, []string{"Fish", "Birds"}) {
		t.Fatalf("bob is in %v", names)
	}
	if names, _ := alice.collectionList("/api/v1/accounts/" + idStr(alice.identity.ID) + "/in_collections"); !slices.Equal(names, []string{"Carol's"}) {
		t.Fatalf("alice is in %v", names)
	}
	srvStatus(t, alice, "GET", bobIn, nil, http.StatusForbidden)
	srvStatus(t, s.anonymous(), "GET", bobIn, nil, http.StatusUnauthorized)
	srvStatus(t, bob, "GET", "/api/v1/accounts/999/in_collections", nil, http.StatusNotFound)

	// Only the featured account may revoke its item.
	revoke := "/api/v1/collections/" + id + "/items/" + bobItem + "/revoke"
	before := collectionRows(t, s)
	for _, who := range []*client{alice, carol} {
		srvStatus(t, who, "POST", revoke, nil, http.StatusForbidden)
	}
	srvStatus(t, s.anonymous(), "POST", revoke, nil, http.StatusUnauthorized)
	srvStatus(t, bob, "POST", "/api/v1/collections/"+fish["id"].(string)+"/items/"+bobItem+"/revoke", nil, http.StatusNotFound)
	if after := collectionRows(t, s); after != before {
		t.Fatalf("refused revocations changed rows: %d, then %d", before, after)
	}
	if got, _ := s.anonymous().showCollection(id); !slices.Contains(itemAccounts(got), idStr(bob.identity.ID)+":accepted") {
		t.Fatalf("bob's item before his revocation: %v", got["items"])
	}

	if m := bob.collectionCall("POST", revoke, nil, http.StatusOK); len(m) != 0 {
		t.Errorf("revoke answered %v", m)
	}
	bob.collectionCall("POST", revoke, nil, http.StatusOK) // again: nothing changes

	for _, reader := range []*client{alice, bob, s.anonymous()} {
		got, accounts := reader.showCollection(id)
		if slices.Contains(accounts, "bob") || itemOf(got, bob.identity) != "" || got["item_count"] != float64(1) {
			t.Errorf("after the revocation: %v with %v", got, accounts)
		}
	}
	if names, _ := bob.collectionList(bobIn); !slices.Equal(names, []string{"Fish"}) {
		t.Errorf("bob is still in %v", names)
	}
	// The curator can neither add bob back nor see his item to remove it.
	data := srvStatus(t, alice, "POST", "/api/v1/collections/"+id+"/items", map[string]any{"account_id": idStr(bob.identity.ID)}, http.StatusForbidden)
	if string(data) != `{"error":"This account has removed itself from this collection"}` {
		t.Errorf("adding back: %s", data)
	}
	srvStatus(t, alice, "DELETE", "/api/v1/collections/"+id+"/items/"+bobItem, nil, http.StatusNotFound)
	// Other collections keep bob.
	if got, accounts := s.anonymous().showCollection(fish["id"].(string)); !slices.Contains(accounts, "bob") || got["item_count"] != float64(1) {
		t.Errorf("the other collection: %v", accounts)
	}
}
