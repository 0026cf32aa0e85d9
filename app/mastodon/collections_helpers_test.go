package mastodon_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"pukeko/app/mastodon/spec"
	"pukeko/app/model"
	"pukeko/app/store"
)

// Helpers of the collection tests.

// Mastodon's API description documents no body for most collection
// answers ("[WrappedCollection]" and the like without a schema), so the
// harness cannot check them: checkEntity holds what they wrap to the
// description's component schemas (Collection, CollectionItem), and
// refuses properties the component does not list.
var entitySchemas struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// checkEntity validates v (decoded JSON) against the component schema
// name of Mastodon's API description; skipped, with a message, when the
// description is not beside the repository.
func checkEntity(t testing.TB, name string, v any) {
	t.Helper()
	entitySchemas.once.Do(func() {
		path, err := spec.Locate()
		if err != nil {
			entitySchemas.err = err
			return
		}
		entitySchemas.doc, entitySchemas.err = openapi3.NewLoader().LoadFromFile(path)
	})
	if errors.Is(entitySchemas.err, spec.ErrSpecMissing) {
		t.Logf("%s not checked: %v", name, entitySchemas.err)
		return
	}
	if entitySchemas.err != nil {
		t.Fatalf("loading Mastodon's API description: %v", entitySchemas.err)
	}
	ref := entitySchemas.doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		t.Fatalf("no component schema %s", name)
	}
	if err := ref.Value.VisitJSON(v, openapi3.MultiErrors()); err != nil {
		t.Errorf("%s does not match Mastodon's API description: %v\n%v", name, err, v)
	}
	if m, ok := v.(map[string]any); ok {
		var extra []string
		for k := range m {
			if _, known := ref.Value.Properties[k]; !known {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		if len(extra) > 0 {
			t.Errorf("%s has properties Mastodon's API description does not: %v", name, extra)
		}
	}
}

// checkCollection validates a rendered Collection and its items.
func checkCollection(t testing.TB, col map[string]any) {
	t.Helper()
	checkEntity(t, "Collection", col)
	items, _ := col["items"].([]any)
	for _, it := range items {
		checkEntity(t, "CollectionItem", it)
	}
}

// collectionCall sends a request expecting want and decodes the answer
// (an object) into a map.
func (c *client) collectionCall(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	status, data := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: %d %s, want %d", method, path, status, data, want)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("%s %s: not a JSON object: %s", method, path, data)
	}
	return m
}

// createCollection creates a collection of c and returns it (checked
// against the description).
func (c *client) createCollection(body any) map[string]any {
	c.t.Helper()
	wrapped := c.collectionCall("POST", "/api/v1/collections", body, http.StatusOK)
	col, ok := wrapped["collection"].(map[string]any)
	if !ok || len(wrapped) != 1 {
		c.t.Fatalf("not a WrappedCollection: %v", wrapped)
	}
	checkCollection(c.t, col)
	return col
}

// showCollection reads a collection as c: CollectionWithAccounts.
func (c *client) showCollection(id string) (col map[string]any, accounts []string) {
	c.t.Helper()
	m := c.collectionCall("GET", "/api/v1/collections/"+id, nil, http.StatusOK)
	col = m["collection"].(map[string]any)
	checkCollection(c.t, col)
	for _, a := range m["accounts"].([]any) {
		accounts = append(accounts, a.(map[string]any)["username"].(string))
	}
	return col, accounts
}

// collectionList reads a page of Collections ({"collections": [...]}) as
// c, returning the collections' names and the Link header.
func (c *client) collectionList(path string) (names []string, link string) {
	c.t.Helper()
	resp, data := c.request("GET", path, nil, nil)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, data)
	}
	var m map[string][]map[string]any
	if err := json.Unmarshal(data, &m); err != nil || len(m) != 1 || m["collections"] == nil {
		c.t.Fatalf("GET %s: not a Collections object: %s", path, data)
	}
	names = []string{}
	for _, col := range m["collections"] {
		checkCollection(c.t, col)
		names = append(names, col["name"].(string))
	}
	return names, resp.Header.Get("Link")
}

// itemAccounts returns the account ids of a collection's items, in order,
// with their states ("id:state").
func itemAccounts(col map[string]any) []string {
	var out []string
	for _, it := range col["items"].([]any) {
		m := it.(map[string]any)
		out = append(out, m["account_id"].(string)+":"+m["state"].(string))
	}
	return out
}

// itemOf returns the id of the item of account in col, "" when none.
func itemOf(col map[string]any, account *model.Identity) string {
	for _, it := range col["items"].([]any) {
		m := it.(map[string]any)
		if m["account_id"] == idStr(account.ID) {
			return m["id"].(string)
		}
	}
	return ""
}

// linkTarget returns the path and query of the Link header's rel.
func linkTarget(t testing.TB, link, rel string) string {
	t.Helper()
	for _, part := range strings.Split(link, ",") {
		if strings.Contains(part, `rel="`+rel+`"`) {
			raw := part[strings.Index(part, "<")+1 : strings.Index(part, ">")]
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			return u.RequestURI()
		}
	}
	return ""
}

// collectionRows counts the rows of both collection tables: what a
// refused request must leave as it was.
func collectionRows(t testing.TB, s *server) int {
	t.Helper()
	var n int
	err := s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM collections) + (SELECT count(*) FROM collection_items)`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// bareIdentity records a local identity without user, token or keys
// (which take long to make): for the many accounts a full collection
// needs.
func (s *server) bareIdentity(username string) *model.Identity {
	s.t.Helper()
	uri := "http://" + s.domain + "/@" + username + "@" + s.domain
	i := &model.Identity{URI: uri, Username: username, Domain: s.domain, ActorType: "Person", Name: username,
		URL: "http://" + s.domain + "/@" + username, Discoverable: true}
	if err := store.CreateLocalIdentity(context.Background(), s.DB, i, 0); err != nil {
		s.t.Fatal(err)
	}
	return i
}
