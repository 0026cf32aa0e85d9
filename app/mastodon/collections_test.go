package mastodon_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// A collection is created with its first accounts, read by anyone,
// changed and deleted by its curator only.
func TestCollectionCRUD(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")

	col := alice.createCollection(map[string]any{
		"name": "  Birders ", "description": "People who watch birds", "language": "en", "tag_name": "#Birds",
		"sensitive": true, "discoverable": false,
		"account_ids": []string{idStr(bob.identity.ID), idStr(carol.identity.ID), idStr(bob.identity.ID)},
	})
	id := col["id"].(string)
	want := map[string]any{"name": "Birders", "description": "People who watch birds", "language": "en",
		"sensitive": true, "discoverable": false, "local": true, "account_id": idStr(alice.identity.ID), "item_count": float64(2)}
	for k, v := range want {
		if col[k] != v {
			t.Errorf("created collection: %s is %v, want %v", k, col[k], v)
		}
	}
	if tag, _ := col["tag"].(map[string]any); tag["name"] != "birds" || tag["url"] != "http://a.test/tags/birds" {
		t.Errorf("tag: %v", col["tag"])
	}
	if col["uri"] != alice.identity.URI+"/collections/"+id || col["url"] != "http://a.test/@alice/collections/"+id {
		t.Errorf("uri %v, url %v", col["uri"], col["url"])
	}
	wantItems := []string{idStr(bob.identity.ID) + ":accepted", idStr(carol.identity.ID) + ":accepted"}
	if got := itemAccounts(col); !slices.Equal(got, wantItems) {
		t.Errorf("items %v, want %v", got, wantItems)
	}

	// Anyone with the id reads it, unlisted as it is, with the accounts of
	// the curator and of the items.
	for _, reader := range []*client{s.anonymous(), bob, alice} {
		got, accounts := reader.showCollection(id)
		if got["name"] != "Birders" || !slices.Equal(accounts, []string{"alice", "bob", "carol"}) {
			t.Errorf("read back: %v with accounts %v", got, accounts)
		}
	}

	// Updates change what they name, and nothing else.
	time.Sleep(5 * time.Millisecond)
	wrapped := alice.collectionCall("PATCH", "/api/v1/collections/"+id, map[string]any{"name": "Bird people", "discoverable": true, "tag_name": ""}, http.StatusOK)
	upd := wrapped["collection"].(map[string]any)
	checkCollection(t, upd)
	if upd["name"] != "Bird people" || upd["discoverable"] != true || upd["tag"] != nil || upd["description"] != "People who watch birds" ||
		upd["language"] != "en" || upd["sensitive"] != true || upd["item_count"] != float64(2) || len(upd["items"].([]any)) != 2 {
		t.Errorf("updated: %v", upd)
	}
	if upd["updated_at"].(string) <= col["updated_at"].(string) || upd["created_at"] != col["created_at"] {
		t.Errorf("updated_at %v after %v, created_at %v", upd["updated_at"], col["updated_at"], upd["created_at"])
	}
	upd = alice.collectionCall("PATCH", "/api/v1/collections/"+id, url.Values{"language": {""}, "sensitive": {"false"}}, http.StatusOK)["collection"].(map[string]any)
	if upd["language"] != nil || upd["sensitive"] != false || upd["name"] != "Bird people" {
		t.Errorf("language and sensitivity cleared: %v", upd)
	}

	// Another user may read but not change it: Mastodon answers 403.
	before := collectionRows(t, s)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"PATCH", "/api/v1/collections/" + id, map[string]any{"name": "mine now"}},
		{"DELETE", "/api/v1/collections/" + id, nil},
		{"POST", "/api/v1/collections/" + id + "/items", map[string]any{"account_id": idStr(bob.identity.ID)}},
		{"DELETE", "/api/v1/collections/" + id + "/items/" + itemOf(col, carol.identity), nil},
	} {
		data := srvStatus(t, bob, c.method, c.path, c.body, http.StatusForbidden)
		if !strings.Contains(string(data), "This action is not allowed") {
			t.Errorf("%s %s by another: %s", c.method, c.path, data)
		}
	}
	// Unknown ids are not found, for reading and writing alike.
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/v1/collections/1"},
		{"GET", "/api/v1/collections/birds"},
		{"PATCH", "/api/v1/collections/1"},
		{"DELETE", "/api/v1/collections/1"},
		{"POST", "/api/v1/collections/1/items"},
		{"DELETE", "/api/v1/collections/1/items/1"},
		{"POST", "/api/v1/collections/1/items/1/revoke"},
		{"DELETE", "/api/v1/collections/" + id + "/items/1"},
		{"POST", "/api/v1/collections/" + id + "/items/1/revoke"},
	} {
		srvStatus(t, alice, c.method, c.path, map[string]any{"account_id": idStr(bob.identity.ID)}, http.StatusNotFound)
	}
	if after := collectionRows(t, s); after != before {
		t.Fatalf("refused requests changed rows: %d, then %d", before, after)
	}
	if got, _ := bob.showCollection(id); got["name"] != "Bird people" {
		t.Fatalf("after refusals: %v", got)
	}

	if m := alice.collectionCall("DELETE", "/api/v1/collections/"+id, nil, http.StatusOK); len(m) != 0 {
		t.Errorf("delete answered %v", m)
	}
	srvStatus(t, s.anonymous(), "GET", "/api/v1/collections/"+id, nil, http.StatusNotFound)
	srvStatus(t, alice, "DELETE", "/api/v1/collections/"+id, nil, http.StatusNotFound)
	if n := collectionRows(t, s); n != 0 {
		t.Fatalf("rows left after the delete: %d", n)
	}
}

// Bad input is refused with Mastodon's 422 and its text, and nothing is
// written.
func TestCollectionValidation(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	long := strings.Repeat("é", 41)

	for _, c := range []struct {
		body      any
		attribute string
		text      string
	}{
		{map[string]any{}, "name", "Name can't be blank"},
		{map[string]any{"name": "   "}, "name", "Name can't be blank"},
		{url.Values{"name": {long}}, "name", "Name is too long (maximum is 40 characters)"},
		{map[string]any{"name": "ok", "description": strings.Repeat("x", 101)}, "description", "Description is too long (maximum is 100 characters)"},
		{map[string]any{"name": "ok", "language": "xx"}, "language", "Language is not a valid language code"},
		{map[string]any{"name": "ok", "language": "english"}, "language", "Language is not a valid language code"},
		{map[string]any{"name": "ok", "tag_name": "#"}, "tag_name", "Tag name is invalid"},
		{map[string]any{"name": "ok", "tag_name": "two words"}, "tag_name", "Tag name is invalid"},
		{map[string]any{"name": "ok", "account_ids": []string{"999"}}, "account_ids", "Account ids contains an unknown account"},
		{map[string]any{"name": "ok", "account_ids": []string{"bob"}}, "account_ids", "Account ids contains an unknown account"},
	} {
		m := alice.collectionCall("POST", "/api/v1/collections", c.body, http.StatusUnprocessableEntity)
		e, _ := m["error"].(map[string]any)
		details, _ := e["details"].(map[string]any)
		if e["error"] != "Validation failed: "+c.text || details[c.attribute] == nil {
			t.Errorf("%v: answered %v", c.body, m)
		}
	}
	// 40 characters (not bytes) pass.
	col := alice.createCollection(map[string]any{"name": long[2:], "language": "PT-BR", "tag_name": "Vögel"})
	if col["language"] != "pt-BR" || col["tag"].(map[string]any)["name"] != "vögel" {
		t.Errorf("accepted: %v", col)
	}
	id := col["id"].(string)
	for _, body := range []any{
		map[string]any{"name": ""},
		map[string]any{"name": long},
		map[string]any{"description": strings.Repeat("x", 101)},
		map[string]any{"language": "zz"},
	} {
		alice.collectionCall("PATCH", "/api/v1/collections/"+id, body, http.StatusUnprocessableEntity)
	}
	if got, _ := alice.showCollection(id); got["name"] != long[2:] || got["description"] != "" || got["language"] != "pt-BR" {
		t.Errorf("after refused updates: %v", got)
	}
	if n := collectionRows(t, s); n != 1 {
		t.Fatalf("refused creations wrote rows: %d", n)
	}

	// A curator has at most 10 collections.
	for n := 1; n < 10; n++ {
		alice.createCollection(map[string]any{"name": "c"})
	}
	m := alice.collectionCall("POST", "/api/v1/collections", map[string]any{"name": "one too many"}, http.StatusUnprocessableEntity)
	if !strings.Contains(m["error"].(map[string]any)["error"].(string), "maximum number of collections") {
		t.Errorf("collection limit: %v", m)
	}
	bob.createCollection(map[string]any{"name": "bob's first"})

	// A collection shows at most 25 accounts, from its creation on too.
	var ids []string
	for n := 0; n < 26; n++ {
		ids = append(ids, idStr(s.bareIdentity("user"+string(rune('a'+n))).ID))
	}
	before := collectionRows(t, s)
	m = bob.collectionCall("POST", "/api/v1/collections", map[string]any{"name": "crowd", "account_ids": ids}, http.StatusUnprocessableEntity)
	if !strings.Contains(m["error"].(map[string]any)["error"].(string), "too many (maximum is 25 accounts)") {
		t.Errorf("item limit at creation: %v", m)
	}
	if after := collectionRows(t, s); after != before {
		t.Fatalf("a refused creation wrote rows: %d, then %d", before, after)
	}
	crowd := bob.createCollection(map[string]any{"name": "crowd", "account_ids": ids[:25]})
	if crowd["item_count"] != float64(25) {
		t.Fatalf("full collection: %v", crowd["item_count"])
	}
	data := srvStatus(t, bob, "POST", "/api/v1/collections/"+crowd["id"].(string)+"/items", url.Values{"account_id": {ids[25]}}, http.StatusUnprocessableEntity)
	if !strings.Contains(string(data), "maximum is 25 accounts") {
		t.Errorf("item limit: %s", data)
	}
}
