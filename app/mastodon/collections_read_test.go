package mastodon_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// An account's collections, the newest first, in pages with a Link
// header; unlisted ones to their curator only; nothing to someone the
// curator blocks.
func TestAccountCollections(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	for _, name := range []string{"One", "Two", "Three", "Four"} {
		alice.createCollection(map[string]any{"name": name, "discoverable": name != "Three"})
	}
	path := "/api/v1/accounts/" + idStr(alice.identity.ID) + "/collections"

	if names, link := s.anonymous().collectionList(path); !slices.Equal(names, []string{"Four", "Two", "One"}) || link != "" {
		t.Fatalf("logged out: %v, Link %q", names, link)
	}
	if names, _ := bob.collectionList(path); !slices.Equal(names, []string{"Four", "Two", "One"}) {
		t.Fatalf("bob: %v", names)
	}
	if names, _ := alice.collectionList(path); !slices.Equal(names, []string{"Four", "Three", "Two", "One"}) {
		t.Fatalf("alice: %v", names)
	}

	// Pages: next while more follow, prev after the first.
	var seen []string
	next := path + "?limit=3"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("the pages do not end")
		}
		names, link := alice.collectionList(next)
		seen = append(seen, names...)
		if pages > 0 && linkTarget(t, link, "prev") == "" {
			t.Errorf("page %d has no prev link: %q", pages, link)
		}
		if prev := linkTarget(t, link, "prev"); prev != "" && !strings.Contains(prev, "offset=0") {
			t.Errorf("prev of page %d: %q", pages, prev)
		}
		next = linkTarget(t, link, "next")
	}
	if !slices.Equal(seen, []string{"Four", "Three", "Two", "One"}) {
		t.Fatalf("all pages: %v", seen)
	}
	if names, link := alice.collectionList(path + "?limit=2&offset=2"); !slices.Equal(names, []string{"Two", "One"}) ||
		linkTarget(t, link, "next") != "" || !strings.Contains(linkTarget(t, link, "prev"), "offset=0") {
		t.Fatalf("last page: %v, Link %q", names, link)
	}
	if names, _ := alice.collectionList(path + "?limit=500&offset=-3"); len(names) != 4 {
		t.Fatalf("bounds: %v", names)
	}

	srvStatus(t, bob, "GET", "/api/v1/accounts/999/collections", nil, http.StatusNotFound)
	srvStatus(t, bob, "GET", "/api/v1/accounts/alice/collections", nil, http.StatusNotFound)

	// Blocked by the curator: an empty list, and no collection by id.
	col := alice.createCollection(map[string]any{"name": "Five"})
	alice.json("POST", "/api/v1/accounts/"+idStr(bob.identity.ID)+"/block", nil, nil)
	if names, _ := bob.collectionList(path); len(names) != 0 {
		t.Fatalf("blocked bob sees %v", names)
	}
	srvStatus(t, bob, "GET", "/api/v1/collections/"+col["id"].(string), nil, http.StatusNotFound)
	if names, _ := s.anonymous().collectionList(path); len(names) != 4 {
		t.Fatalf("logged out after the block: %v", names)
	}
}

// Scopes as Mastodon's description says: read:collections (or read) to
// read, write:collections (or write) to change; logged-out callers read
// only.
func TestCollectionScopes(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	writer := s.user("writer", "write:collections")
	reader := s.user("reader", "read:collections")
	other := s.user("other", "read:accounts write:accounts")
	broad := s.user("broad", "read write")

	col := writer.createCollection(map[string]any{"name": "Mine", "account_ids": []string{idStr(reader.identity.ID)}})
	id := col["id"].(string)
	item := itemOf(col, reader.identity)
	broad.createCollection(map[string]any{"name": "Broad"})
	broad.collectionCall("PATCH", "/api/v1/collections/"+id, map[string]any{"name": "x"}, http.StatusForbidden) // not the curator

	reader.showCollection(id)
	broad.showCollection(id)
	s.anonymous().showCollection(id)
	reader.collectionList("/api/v1/accounts/" + idStr(writer.identity.ID) + "/collections")
	reader.collectionList("/api/v1/accounts/" + idStr(reader.identity.ID) + "/in_collections")

	before := collectionRows(t, s)
	writes := []struct {
		method, path string
		body         any
	}{
		{"POST", "/api/v1/collections", map[string]any{"name": "x"}},
		{"PATCH", "/api/v1/collections/" + id, map[string]any{"name": "x"}},
		{"DELETE", "/api/v1/collections/" + id, nil},
		{"POST", "/api/v1/collections/" + id + "/items", map[string]any{"account_id": idStr(other.identity.ID)}},
		{"DELETE", "/api/v1/collections/" + id + "/items/" + item, nil},
		{"POST", "/api/v1/collections/" + id + "/items/" + item + "/revoke", nil},
	}
	for _, w := range writes {
		for _, c := range []*client{reader, other} {
			data := srvStatus(t, c, w.method, w.path, w.body, http.StatusForbidden)
			if !strings.Contains(string(data), "outside the authorized scopes") {
				t.Errorf("%s %s without write:collections: %s", w.method, w.path, data)
			}
		}
		srvStatus(t, s.anonymous(), w.method, w.path, w.body, http.StatusUnauthorized)
	}
	for _, path := range []string{"/api/v1/collections/" + id, "/api/v1/accounts/" + idStr(writer.identity.ID) + "/collections",
		"/api/v1/accounts/" + idStr(other.identity.ID) + "/in_collections"} {
		for _, c := range []*client{writer, other} {
			srvStatus(t, c, "GET", path, nil, http.StatusForbidden)
		}
	}
	if after := collectionRows(t, s); after != before {
		t.Fatalf("refused requests changed rows: %d, then %d", before, after)
	}
	// The featured account withdraws with its write scope.
	reader.token = reader.login(reader.identity.Username+"@a.test.example", "write:collections")
	srvStatus(t, reader, "POST", "/api/v1/collections/"+id+"/items/"+item+"/revoke", nil, http.StatusOK)
}
