package mastodon_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// fetchAt GETs an absolute URL of s (its host sent as Host) with accept,
// returning the status, Content-Type and body.
func fetchAt(t *testing.T, s *server, raw, accept string) (int, string, []byte) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("GET", "http://"+s.addr+u.RequestURI(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = u.Host
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// A local collection's uri is its ActivityPub object (FEP-7aa9's
// FeaturedCollection of the accepted accounts' actors) and its url a page
// for browsers.
func TestCollectionActivityPub(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	col := alice.createCollection(map[string]any{"name": "Birders <3", "description": "Kea & kākā", "language": "en",
		"tag_name": "birds", "discoverable": false, "account_ids": []string{idStr(bob.identity.ID), idStr(carol.identity.ID)}})
	uri := col["uri"].(string)
	const activity = "application/activity+json"

	status, ctype, body := fetchAt(t, s, uri, activity)
	if status != http.StatusOK || !strings.HasPrefix(ctype, "application/activity+json") {
		t.Fatalf("GET %s: %d %s %s", uri, status, ctype, body)
	}
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatal(err)
	}
	if obj["id"] != uri || obj["type"] != "FeaturedCollection" || obj["name"] != "Birders <3" || obj["summary"] != "Kea & kākā" ||
		obj["attributedTo"] != alice.identity.URI || obj["url"] != col["url"] || obj["discoverable"] != false ||
		obj["sensitive"] != false || obj["totalItems"] != float64(2) {
		t.Fatalf("collection object: %s", body)
	}
	if ctx, _ := obj["@context"].([]any); len(ctx) < 2 || ctx[0] != "https://www.w3.org/ns/activitystreams" || ctx[1] != "https://w3id.org/fep/7aa9" {
		t.Errorf("@context: %v", obj["@context"])
	}
	if m, _ := obj["summaryMap"].(map[string]any); m["en"] != "Kea & kākā" {
		t.Errorf("summaryMap: %v", obj["summaryMap"])
	}
	if topic, _ := obj["topic"].(map[string]any); topic["type"] != "Hashtag" || topic["name"] != "#birds" || topic["href"] != "http://a.test/tags/birds" {
		t.Errorf("topic: %v", obj["topic"])
	}
	ordered, _ := obj["orderedItems"].([]any)
	var actors []string
	for _, it := range ordered {
		m := it.(map[string]any)
		if m["type"] != "FeaturedItem" || m["featuredObjectType"] != "Person" || !strings.HasPrefix(m["id"].(string), uri+"/items/") {
			t.Errorf("item: %v", m)
		}
		actors = append(actors, m["featuredObject"].(string))
	}
	if strings.Join(actors, " ") != bob.identity.URI+" "+carol.identity.URI {
		t.Fatalf("featured actors: %v", actors)
	}

	// Each item resolves, as its own FeaturedItem.
	itemID := ordered[0].(map[string]any)["id"].(string)
	status, _, body = fetchAt(t, s, itemID, activity)
	var item map[string]any
	json.Unmarshal(body, &item)
	if status != http.StatusOK || item["id"] != itemID || item["featuredObject"] != bob.identity.URI || item["@context"] == nil {
		t.Fatalf("GET %s: %d %s", itemID, status, body)
	}

	// Browsers get a page, escaped, on the url.
	status, ctype, body = fetchAt(t, s, col["url"].(string), "text/html")
	if status != http.StatusOK || !strings.HasPrefix(ctype, "text/html") || !strings.Contains(string(body), "Birders &lt;3") ||
		!strings.Contains(string(body), "@bob@a.test") || strings.Contains(string(body), "Birders <3") {
		t.Fatalf("GET %s: %d %s %s", col["url"], status, ctype, body)
	}

	// Revoked items leave the object; other identities' paths, unknown
	// ids and deleted collections are not found.
	bob.collectionCall("POST", "/api/v1/collections/"+col["id"].(string)+"/items/"+itemOf(col, bob.identity)+"/revoke", nil, http.StatusOK)
	_, _, body = fetchAt(t, s, uri, activity)
	if strings.Contains(string(body), bob.identity.URI) || !strings.Contains(string(body), `"totalItems":1`) {
		t.Fatalf("after bob's revocation: %s", body)
	}
	if status, _, _ = fetchAt(t, s, itemID, activity); status != http.StatusNotFound {
		t.Errorf("revoked item: %d", status)
	}
	for _, u := range []string{
		strings.Replace(uri, "@alice@", "@bob@", 1),
		uri + "0",
		strings.TrimSuffix(uri, col["id"].(string)) + "nonsense",
		uri + "/items/1",
	} {
		if status, _, _ := fetchAt(t, s, u, activity); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", u, status)
		}
	}
	alice.collectionCall("DELETE", "/api/v1/collections/"+col["id"].(string), nil, http.StatusOK)
	if status, _, _ := fetchAt(t, s, uri, activity); status != http.StatusNotFound {
		t.Errorf("deleted collection: %d", status)
	}
}
