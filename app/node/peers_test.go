package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/testkit"
)

// getJSON fetches path from the node for host and decodes the JSON answer.
func (f *fedNode) getJSON(t *testing.T, host, path, accept string) map[string]any {
	t.Helper()
	status, body := f.get(t, host, path, accept)
	if status != http.StatusOK {
		t.Fatalf("GET %s (Host %s): %d %s", path, host, status, body)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s (Host %s): %v: %s", path, host, err, body)
	}
	return v
}

// dig walks nested JSON objects.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// One node serves a second domain: its own webfinger, actors with their
// own keys, its own nodeinfo; unknown hosts get 404; another server
// follows one of its identities across.
func TestSecondDomain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederationWith(t, fedOptions{aliases: map[string]string{"c.test": "a.test"}}, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	if err := store.CreateLocalDomain(ctx, a.DB, &model.Domain{Domain: "c.test", Local: true, Public: true,
		SiteName: "Site c.test", SignupPolicy: model.SignupClosed}); err != nil {
		t.Fatal(err)
	}
	var onC []*model.Identity
	for _, name := range []string{"x", "y"} {
		i, err := a.Instance.CreateIdentity(ctx, a.user.ID, name, "c.test", strings.ToUpper(name))
		if err != nil {
			t.Fatal(err)
		}
		onC = append(onC, i)
	}
	x := onC[0]
	if !strings.HasPrefix(x.URI, "http://c.test/") || x.PublicKey == alice.PublicKey {
		t.Fatalf("x@c.test: URI %s, key shared with alice: %v", x.URI, x.PublicKey == alice.PublicKey)
	}

	// Webfinger on c.test.
	wf := a.getJSON(t, "c.test", "/.well-known/webfinger?resource=acct:x@c.test", "")
	if wf["subject"] != "acct:x@c.test" {
		t.Errorf("webfinger subject %v, want acct:x@c.test", wf["subject"])
	}
	var self string
	links, _ := wf["links"].([]any)
	for _, l := range links {
		if dig(l, "rel") == "self" {
			self, _ = dig(l, "href").(string)
		}
	}
	if self != x.URI {
		t.Errorf("webfinger self link %q, want %q", self, x.URI)
	}
	for _, alias := range wf["aliases"].([]any) {
		if !strings.HasPrefix(alias.(string), "http://c.test/") {
			t.Errorf("webfinger alias %v is not on c.test", alias)
		}
	}

	// The actor on c.test, with its own key.
	doc := a.getJSON(t, "c.test", "/@x", ap.ContentType)
	if doc["id"] != x.URI || doc["preferredUsername"] != "x" {
		t.Errorf("actor id %v, preferredUsername %v; want %s, x", doc["id"], doc["preferredUsername"], x.URI)
	}
	if pem := dig(doc, "publicKey", "publicKeyPem"); pem != x.PublicKey || pem == alice.PublicKey {
		t.Errorf("actor x@c.test does not carry its own key")
	}
	if id := dig(doc, "publicKey", "id"); id != x.PublicKeyID {
		t.Errorf("actor key id %v, want %s", id, x.PublicKeyID)
	}
	for _, k := range []string{"inbox", "outbox", "followers", "following"} {
		if s, _ := doc[k].(string); !strings.HasPrefix(s, "http://c.test/") {
			t.Errorf("actor %s %q is not on c.test", k, s)
		}
	}
	if s := dig(doc, "endpoints", "sharedInbox"); s != "http://c.test/inbox" {
		t.Errorf("shared inbox %v, want http://c.test/inbox", s)
	}
	if doc := a.getJSON(t, "c.test", "/@x@c.test", ap.ContentType); doc["id"] != x.URI {
		t.Errorf("/@x@c.test serves %v", doc["id"])
	}
	if doc := a.getJSON(t, "a.test", "/@alice", ap.ContentType); dig(doc, "publicKey", "publicKeyPem") != alice.PublicKey {
		t.Errorf("alice's actor does not carry alice's key")
	}
	// Short handles name the request's domain only.
	for _, c := range []struct{ host, path string }{{"a.test", "/@x"}, {"c.test", "/@alice"}} {
		if status, _ := a.get(t, c.host, c.path, ap.ContentType); status != http.StatusNotFound {
			t.Errorf("GET %s on %s: %d, want 404", c.path, c.host, status)
		}
	}

	// Hosts the node does not serve.
	for _, path := range []string{"/.well-known/webfinger?resource=acct:x@c.test", "/@x", "/nodeinfo/2.0", "/.well-known/nodeinfo"} {
		if status, _ := a.get(t, "unknown.test", path, ap.ContentType); status != http.StatusNotFound {
			t.Errorf("GET %s with Host unknown.test: %d, want 404", path, status)
		}
	}
	if status, _ := send(t, a.newRequest(t, http.MethodPost, "unknown.test", "/inbox", []byte(`{}`))); status != http.StatusNotFound {
		t.Errorf("POST /inbox with Host unknown.test: %d, want 404", status)
	}

	// Each domain's nodeinfo describes that domain.
	for _, c := range []struct {
		host  string
		users int
		open  bool
	}{{"c.test", 2, false}, {"a.test", 1, true}} {
		links := a.getJSON(t, c.host, "/.well-known/nodeinfo", "")
		for _, l := range links["links"].([]any) {
			if href, _ := dig(l, "href").(string); !strings.HasPrefix(href, "http://"+c.host+"/") {
				t.Errorf("nodeinfo link %q on %s", href, c.host)
			}
		}
		for _, v := range []string{"2.0", "2.1"} {
			ni := a.getJSON(t, c.host, "/nodeinfo/"+v, "")
			if users := dig(ni, "usage", "users", "total"); users != float64(c.users) {
				t.Errorf("nodeinfo %s of %s: %v users, want %d", v, c.host, users, c.users)
			}
			if name := dig(ni, "metadata", "nodeName"); name != "Site "+c.host {
				t.Errorf("nodeinfo %s of %s: nodeName %v", v, c.host, name)
			}
			if ni["openRegistrations"] != c.open {
				t.Errorf("nodeinfo %s of %s: openRegistrations %v, want %v", v, c.host, ni["openRegistrations"], c.open)
			}
		}
	}

	// Across: b finds x@c.test, and bob's follow of x is accepted, signed
	// with x's key.
	bob := b.identity(t, "bob", false)
	xOnB := b.resolve(t, "x@c.test")
	if xOnB.URI != x.URI || xOnB.PublicKey != x.PublicKey || xOnB.Domain != "c.test" {
		t.Fatalf("x as seen from b: %s %s, own key %v", xOnB.URI, xOnB.Handle(), xOnB.PublicKey == x.PublicKey)
	}
	if _, err := b.Instance.Follow(ctx, bob, xOnB); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, bob, x, "accepted")
	waitFollow(t, b, bob, x, "accepted")
}

// The discovery document lists both nodeinfo versions, and each document
// is valid against the published schema of its version.
func TestNodeInfoSchemas(t *testing.T) {
	t.Parallel()
	root, err := testkit.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	schemaDir := filepath.Join(root, "..", "shared", "nodeinfo")
	if _, err := os.Stat(filepath.Join(schemaDir, "schema-2.0.json")); err != nil {
		t.Skipf("the nodeinfo schemas are not available next to the module (%v): the shared directory is not checked out here", err)
	}
	a := startFederation(t, "a.test")[0]
	a.identity(t, "alice", false)

	links := a.getJSON(t, "a.test", "/.well-known/nodeinfo", "")
	hrefs := map[string]string{}
	for _, l := range links["links"].([]any) {
		rel, _ := dig(l, "rel").(string)
		href, _ := dig(l, "href").(string)
		hrefs[rel] = href
	}
	for _, v := range []string{"2.0", "2.1"} {
		href := hrefs["http://nodeinfo.diaspora.software/ns/schema/"+v]
		if href != "http://a.test/nodeinfo/"+v {
			t.Errorf("nodeinfo %s link: %q", v, href)
			continue
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		status, body := a.get(t, u.Host, u.Path, "")
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d", href, status)
		}
		raw, err := os.ReadFile(filepath.Join(schemaDir, "schema-"+v+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var schema map[string]any
		if err := json.Unmarshal(raw, &schema); err != nil {
			t.Fatal(err)
		}
		doc, err := decodeNumbers(body)
		if err != nil {
			t.Fatalf("nodeinfo %s: %v", v, err)
		}
		if errs := validateSchema(schema, doc, "$"); len(errs) > 0 {
			t.Errorf("nodeinfo %s does not match its schema:\n%s\n%s", v, errors.Join(errs...), body)
		}
	}

	// The validator itself catches what the schemas forbid.
	raw, _ := os.ReadFile(filepath.Join(schemaDir, "schema-2.0.json"))
	var schema map[string]any
	json.Unmarshal(raw, &schema)
	for _, bad := range []string{
		`{"version":"2.1","software":{"name":"pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"Pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1","homepage":"x"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1"},"protocols":[],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":"yes","usage":{"users":{}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{"total":-1}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":true,"usage":{"users":{"total":1.5}},"metadata":{}}`,
		`{"version":"2.0","software":{"name":"pukeko","version":"1"},"protocols":["activitypub"],"services":{"inbound":[]},"openRegistrations":true,"usage":{"users":{}},"metadata":{}}`,
	} {
		doc, err := decodeNumbers([]byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if errs := validateSchema(schema, doc, "$"); len(errs) == 0 {
			t.Errorf("the validator accepted %s", bad)
		}
	}
}

func decodeNumbers(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// validateSchema checks v against the subset of JSON Schema (draft 4) the
// nodeinfo schemas use; a keyword it does not know is an error, so that a
// schema change cannot pass unchecked.
func validateSchema(schema map[string]any, v any, at string) []error {
	var errs []error
	fail := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", at, fmt.Sprintf(format, args...)))
	}
	keys := make([]string, 0, len(schema))
	for k := range schema {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	obj, isObj := v.(map[string]any)
	arr, isArr := v.([]any)
	for _, k := range keys {
		rule := schema[k]
		switch k {
		case "$schema", "id", "description", "properties":
			// properties are checked with additionalProperties below.
		case "type":
			if !hasType(v, rule.(string)) {
				fail("%v is not of type %s", v, rule)
			}
		case "enum":
			found := false
			for _, e := range rule.([]any) {
				if fmt.Sprint(e) == fmt.Sprint(v) && hasType(v, jsonType(e)) {
					found = true
				}
			}
			if !found {
				fail("%v is not one of %v", v, rule)
			}
		case "pattern":
			if s, ok := v.(string); ok && !regexp.MustCompile(rule.(string)).MatchString(s) {
				fail("%q does not match %s", s, rule)
			}
		case "minimum":
			if n, ok := v.(json.Number); ok {
				got, _ := new(big.Rat).SetString(n.String())
				lim, _ := new(big.Rat).SetString(fmt.Sprint(rule))
				if got == nil || lim == nil || got.Cmp(lim) < 0 {
					fail("%v is below %v", n, rule)
				}
			}
		case "required":
			if isObj {
				for _, name := range rule.([]any) {
					if _, ok := obj[name.(string)]; !ok {
						fail("%s is missing", name)
					}
				}
			}
		case "minProperties":
			if isObj && float64(len(obj)) < rule.(float64) {
				fail("fewer than %v properties", rule)
			}
		case "minItems":
			if isArr && float64(len(arr)) < rule.(float64) {
				fail("fewer than %v items", rule)
			}
		case "items":
			for i, item := range arr {
				errs = append(errs, validateSchema(rule.(map[string]any), item, fmt.Sprintf("%s[%d]", at, i))...)
			}
		case "additionalProperties":
			if isObj && rule == false {
				props, _ := schema["properties"].(map[string]any)
				for name := range obj {
					if _, ok := props[name]; !ok {
						fail("property %s is not allowed", name)
					}
				}
			} else if rule != true && rule != false {
				fail("schema: additionalProperties %v is not supported here", rule)
			}
		default:
			fail("schema: keyword %s is not supported by this validator", k)
		}
	}
	if props, ok := schema["properties"].(map[string]any); ok && isObj {
		names := make([]string, 0, len(props))
		for name := range props {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if pv, ok := obj[name]; ok {
				errs = append(errs, validateSchema(props[name].(map[string]any), pv, at+"."+name)...)
			}
		}
	}
	return errs
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case nil:
		return "null"
	case []any:
		return "array"
	}
	return "object"
}

func hasType(v any, typ string) bool {
	switch typ {
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		r, ok := new(big.Rat).SetString(n.String())
		return ok && r.IsInt()
	case "number":
		_, ok := v.(json.Number)
		if !ok {
			_, ok = v.(float64)
		}
		return ok
	}
	return jsonType(v) == typ
}

// postAs delivers activity to the node's shared inbox as another server
// would, signed by actor.
func postAs(t *testing.T, from, to *fedNode, actor *model.Identity, body []byte) {
	t.Helper()
	if err := from.Instance.Client.PostActivity(context.Background(), "http://"+to.domain+"/inbox", body, signerOf(t, actor)); err != nil {
		t.Fatalf("posting %s by %s: %v", activityID(t, body), actor.Handle(), err)
	}
}

// remote reads this node's copy of the identity with uri.
func (f *fedNode) remote(t *testing.T, uri string) *model.Identity {
	t.Helper()
	i, err := store.IdentityByURI(context.Background(), f.DB, uri)
	if err != nil || i == nil {
		t.Fatalf("%s: no identity %s: %v", f.domain, uri, err)
	}
	return i
}

// An actor renames itself and says so with an Update: the other server's
// copy follows; an Update of someone else's profile is refused; an actor
// Delete wipes the copy and ends the follows with it.
func TestProfileUpdateAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b, alice, bob, carol := aliceBobCarol(t)

	bobOnA := a.resolve(t, "bob@b.test")
	a.resolve(t, "carol@b.test")
	aliceOnB := b.resolve(t, "alice@a.test")
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Instance.Follow(ctx, bob, aliceOnB); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, alice, bob, "accepted")
	waitFollow(t, a, bob, alice, "accepted")

	// bob renames himself on b and tells a (Pukeko does not send profile
	// Updates itself yet).
	if _, err := b.DB.Exec(ctx, "UPDATE identities SET name = 'Robert', summary = 'renamed', locked = true WHERE id = $1", bob.ID); err != nil {
		t.Fatal(err)
	}
	renamed, err := store.IdentityByID(ctx, b.DB, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	update := activity(t, "Update", bob.URI, ap.RenderActor(renamed))
	postAs(t, b, a, bob, update)
	waitUntil(t, "a to see bob's new name", func() bool { return a.remote(t, bob.URI).Name == "Robert" })
	if got := a.remote(t, bob.URI); got.Summary != "renamed" || !got.Locked || got.PublicKey != bob.PublicKey || got.Handle() != "bob@b.test" {
		t.Fatalf("bob's copy on a after the Update: %+v", got)
	}
	// The handler's outcome is written just after its work is visible.
	waitUntil(t, "bob's Update to leave 'received'", func() bool {
		state, _ := a.inboxMessage(t, activityID(t, update))
		return state != "received"
	})
	if state, result := a.inboxMessage(t, activityID(t, update)); state != "processed" {
		t.Fatalf("bob's Update: %s (%s)", state, result)
	}

	// bob cannot rewrite carol's profile.
	carolDoc := ap.RenderActor(carol)
	carolDoc["name"] = "Hacked"
	forged := activity(t, "Update", bob.URI, carolDoc)
	postAs(t, b, a, bob, forged)
	waitUntil(t, "the forged Update to be processed", func() bool {
		state, _ := a.inboxMessage(t, activityID(t, forged))
		return state == "processed" || state == "errored"
	})
	if name := a.remote(t, carol.URI).Name; name != "Carol" {
		t.Fatalf("bob renamed carol to %q", name)
	}

	// bob deletes himself: a wipes its copy and ends both follows.
	del := activity(t, "Delete", bob.URI, bob.URI)
	postAs(t, b, a, bob, del)
	waitUntil(t, "a to mark bob deleted", func() bool { return a.remote(t, bob.URI).Deleted != nil })
	gone := a.remote(t, bob.URI)
	if gone.Name != "" || gone.Summary != "" || gone.State != "gone" {
		t.Fatalf("bob's copy after the Delete: name %q, summary %q, state %s", gone.Name, gone.Summary, gone.State)
	}
	for _, f := range [][2]*model.Identity{{alice, bob}, {bob, alice}} {
		if s := a.followState(t, f[0].URI, f[1].URI); s != "removed" && s != "" {
			t.Fatalf("follow %s -> %s after bob's Delete: %s", f[0].Handle(), f[1].Handle(), s)
		}
	}
	if name := a.remote(t, carol.URI).Name; name != "Carol" || a.remote(t, carol.URI).Deleted != nil {
		t.Fatal("bob's Delete touched carol")
	}

	// Late (or replayed) activities of the deleted actor change nothing:
	// no follow comes back, the profile stays wiped.
	follow := activity(t, "Follow", bob.URI, alice.URI)
	postAs(t, b, a, bob, follow)
	lateUpdate := activity(t, "Update", bob.URI, ap.RenderActor(renamed))
	postAs(t, b, a, bob, lateUpdate)
	for _, id := range []string{activityID(t, follow), activityID(t, lateUpdate)} {
		waitUntil(t, "the late activity to be processed", func() bool {
			state, _ := a.inboxMessage(t, id)
			return state == "processed" || state == "errored"
		})
	}
	if s := a.followState(t, bob.URI, alice.URI); s != "removed" && s != "" {
		t.Fatalf("a Follow by the deleted bob made the follow %s", s)
	}
	if got := a.remote(t, bob.URI); got.Name != "" || got.State != "gone" || got.Deleted == nil {
		t.Fatalf("an Update by the deleted bob brought back name %q, state %s", got.Name, got.State)
	}
}

// With federation.identity_refresh at one second, Stator refetches a
// remote profile about a second after the last fetch, and sees changes.
func TestRemoteIdentityRefresh(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes := startFederationWith(t, fedOptions{env: map[string][]string{
		"a.test": {"PUKEKO_FEDERATION_IDENTITY_REFRESH=1s"},
	}}, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", false)

	// b keeps the default (a day): its copy of alice stays as fetched.
	b.resolve(t, "alice@a.test")
	aliceFetched := *b.remote(t, alice.URI).Fetched

	a.resolve(t, "bob@b.test")
	first := *a.remote(t, bob.URI).Fetched
	waitUntil(t, "a to refetch bob", func() bool { return a.remote(t, bob.URI).Fetched.After(first) })
	second := *a.remote(t, bob.URI).Fetched
	if gap := second.Sub(first); gap < 900*time.Millisecond {
		t.Fatalf("bob was refetched %s after the first fetch, before identity_refresh (1s)", gap)
	}

	if _, err := b.DB.Exec(ctx, "UPDATE identities SET name = 'Robert' WHERE id = $1", bob.ID); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to see bob's new name", func() bool { return a.remote(t, bob.URI).Name == "Robert" })

	if got := *b.remote(t, alice.URI).Fetched; !got.Equal(aliceFetched) {
		t.Fatalf("b refetched alice (at %s, first at %s) although its identity_refresh is a day", got, aliceFetched)
	}
}
