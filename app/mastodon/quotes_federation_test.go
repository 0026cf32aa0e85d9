package mastodon_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/ap"
	"pukeko/app/store"
)

// resolveStatus finds a status of another server by its URI, as c.
func (c *client) resolveStatus(uri string) map[string]any {
	c.t.Helper()
	var r struct {
		Statuses []map[string]any `json:"statuses"`
	}
	c.json("GET", "/api/v2/search?type=statuses&resolve=true&q="+url.QueryEscape(uri), nil, &r)
	if len(r.Statuses) != 1 || r.Statuses[0]["uri"] != uri {
		c.t.Fatalf("resolving %s: %v", uri, r.Statuses)
	}
	return r.Statuses[0]
}

// fetchAP fetches an ActivityPub document of s by its URI, unsigned, and
// returns the status and the document (nil unless 200).
func (s *server) fetchAP(t *testing.T, uri string) (int, map[string]any) {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil || u.Host != s.domain {
		t.Fatalf("%s is not a URI of %s", uri, s.domain)
	}
	req, err := http.NewRequest("GET", "http://"+s.addr+u.RequestURI(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = s.domain
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatalf("%s: %v in %s", uri, err, body)
	}
	return resp.StatusCode, doc
}

// quoteState reads the state of the quote a post (by URI) makes on s.
func (s *server) quoteState(t *testing.T, postURI string) string {
	t.Helper()
	var state string
	err := s.DB.QueryRow(context.Background(), `SELECT q.state FROM quotes q JOIN posts p ON p.id = q.post_id
		WHERE p.uri = $1`, postURI).Scan(&state)
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	return state
}

// A quote of a remote post: pending, then accepted on both sides by the
// quoted author's server (QuoteRequest, Accept with a QuoteAuthorization
// served at its own URI); the quoted author is told and lists it; the
// quoting Note carries quote, its older forms and the authorization. The
// quoted author's revocation reaches the quoting server.
func TestQuoteFederationAccepted(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice, bob := a.user("alice", ""), b.user("bob", "")
	p := alice.compose("Kia ora from a", nil)
	pid, puri := p["id"].(string), p["uri"].(string)
	pOnB := bob.resolveStatus(puri)
	wantApproval(t, "alice's post on b.test", pOnB, []string{"public"}, "automatic")

	q := bob.compose("Quoting alice", map[string]any{"quoted_status_id": pOnB["id"]})
	qid, quri := q["id"].(string), q["uri"].(string)
	if state := quoteOf(t, q)["state"]; state != "pending" {
		t.Fatalf("a new quote of a remote post: %v", state)
	}
	eventually(t, "the quote to be accepted on b.test", func() bool {
		return quoteOf(t, bob.status(qid))["state"] == "accepted"
	})
	if inner, _ := quoteOf(t, bob.status(qid))["quoted_status"].(map[string]any); inner == nil || inner["uri"] != puri {
		t.Fatalf("the accepted quote on b.test: %v", bob.status(qid)["quote"])
	}

	var list []map[string]any
	eventually(t, "alice to list the quote", func() bool {
		alice.json("GET", "/api/v1/statuses/"+pid+"/quotes", nil, &list)
		return len(list) == 1
	})
	qOnA := list[0]
	if inner, _ := quoteOf(t, qOnA)["quoted_status"].(map[string]any); qOnA["uri"] != quri || inner == nil || inner["id"] != pid {
		t.Fatalf("bob's quote on a.test: %v", qOnA)
	}
	if n := alice.status(pid)["quotes_count"]; n != float64(1) {
		t.Fatalf("quotes_count on a.test: %v", n)
	}
	var notes []map[string]any
	alice.json("GET", "/api/v1/notifications?types[]=quote", nil, &notes)
	if len(notes) != 1 || notes[0]["account"].(map[string]any)["acct"] != "bob@b.test" {
		t.Fatalf("alice's quote notifications: %v", notes)
	}

	_, note := b.fetchAP(t, quri)
	authURI, _ := note["quoteAuthorization"].(string)
	if note["quote"] != puri || note["quoteUri"] != puri || note["_misskey_quote"] != puri ||
		!strings.HasPrefix(authURI, alice.identity.URI+"/quote_authorizations/") {
		t.Fatalf("bob's Note: quote %v, quoteUri %v, _misskey_quote %v, quoteAuthorization %v",
			note["quote"], note["quoteUri"], note["_misskey_quote"], note["quoteAuthorization"])
	}
	_, pNote := a.fetchAP(t, puri)
	policy, _ := pNote["interactionPolicy"].(map[string]any)
	can, _ := policy["canQuote"].(map[string]any)
	if auto, _ := can["automaticApproval"].([]any); len(auto) != 1 || auto[0] != ap.Public || pNote["quote"] != nil {
		t.Fatalf("alice's Note: interactionPolicy %v, quote %v", pNote["interactionPolicy"], pNote["quote"])
	}
	status, auth := a.fetchAP(t, authURI)
	if status != 200 || auth["type"] != "QuoteAuthorization" || auth["id"] != authURI || auth["attributedTo"] != alice.identity.URI ||
		auth["interactingObject"] != quri || auth["interactionTarget"] != puri {
		t.Fatalf("the authorization: %d %v", status, auth)
	}

	var st map[string]any
	alice.json("POST", "/api/v1/statuses/"+pid+"/quotes/"+qOnA["id"].(string)+"/revoke", nil, &st)
	if quoteOf(t, st)["state"] != "revoked" {
		t.Fatalf("revoked on a.test: %v", st["quote"])
	}
	eventually(t, "the revocation to reach b.test", func() bool {
		return quoteOf(t, bob.status(qid))["state"] == "revoked"
	})
	if q := quoteOf(t, bob.status(qid)); q["quoted_status"] != nil {
		t.Fatalf("a revoked quote on b.test still shows the post: %v", q)
	}
	if status, _ := a.fetchAP(t, authURI); status != http.StatusNotFound {
		t.Fatalf("a revoked authorization is still served: %d", status)
	}
}

// A quote the quoted author's policy does not allow is rejected by their
// server, although the quoting server thought it allowed (the policy
// changed since it fetched the post).
func TestQuoteFederationRejected(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice, bob := a.user("alice", ""), b.user("bob", "")
	p := alice.compose("Not for quoting", nil)
	pOnB := bob.resolveStatus(p["uri"].(string))
	alice.json("PUT", "/api/v1/statuses/"+p["id"].(string)+"/interaction_policy", map[string]any{"quote_approval_policy": "nobody"}, nil)

	q := bob.compose("Quoting anyway", map[string]any{"quoted_status_id": pOnB["id"]})
	eventually(t, "the quote to be rejected on b.test", func() bool {
		return quoteOf(t, bob.status(q["id"].(string)))["state"] == "rejected"
	})
	var list []map[string]any
	alice.json("GET", "/api/v1/statuses/"+p["id"].(string)+"/quotes", nil, &list)
	if n := alice.status(p["id"].(string))["quotes_count"]; len(list) != 0 || n != float64(0) {
		t.Fatalf("alice's post after the rejection: quotes %v, quotes_count %v", list, n)
	}
}

// A quote a third server sends is accepted only once its authorization,
// fetched from the quoted author's server, names that quote and the quoted
// post: a Note pointing at the authorization of another quote stays
// pending. Policies reach followers' servers, and their changes too.
func TestQuoteFederationVerified(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	alice, bob, carol := a.user("alice", ""), b.user("bob", ""), b.user("carol", "")
	var found []map[string]any
	alice.json("GET", "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape("@bob@b.test"), nil, &found)
	bobOnA := found[0]["id"].(string)
	alice.acctAction(bobOnA, "follow", nil)
	eventually(t, "alice to follow bob", func() bool { return alice.acctRel(bobOnA)["following"] == true })

	x := carol.compose("Carol's thought", nil)
	q := bob.compose("Bob on carol's thought", map[string]any{"quoted_status_id": x["id"]})
	if quoteOf(t, q)["state"] != "accepted" {
		t.Fatalf("a quote of a post of the same server: %v", q["quote"])
	}
	quri := q["uri"].(string)
	var onA map[string]any
	eventually(t, "alice's server to verify bob's quote", func() bool {
		var home []map[string]any
		alice.json("GET", "/api/v1/timelines/home", nil, &home)
		for _, st := range home {
			if st["uri"] == quri {
				onA = st
			}
		}
		return onA != nil && quoteOf(t, onA)["state"] == "accepted"
	})
	if inner, _ := quoteOf(t, onA)["quoted_status"].(map[string]any); inner == nil || inner["uri"] != x["uri"] {
		t.Fatalf("bob's quote on a.test: %v", onA["quote"])
	}
	wantApproval(t, "bob's quote on a.test, for alice", onA, []string{"public"}, "automatic")

	// A Note of bob's naming the authorization of his other quote.
	var authURI string
	if err := b.DB.QueryRow(context.Background(), `SELECT approval_uri FROM quotes q JOIN posts p ON p.id = q.post_id
		WHERE p.uri = $1`, quri).Scan(&authURI); err != nil {
		t.Fatal(err)
	}
	forged := bob.identity.URI + "/posts/4242"
	note := map[string]any{"id": forged, "type": "Note", "attributedTo": bob.identity.URI, "content": "<p>forged</p>",
		"to": []string{ap.Public}, "published": "2024-01-01T00:00:00Z", "quote": x["uri"], "quoteAuthorization": authURI}
	create := ap.NewActivity("Create", forged+"/activity", bob.identity.URI, note)
	body, _ := json.Marshal(create)
	if err := store.QueueDelivery(context.Background(), b.DB, &store.Delivery{SenderID: bob.identity.ID,
		InboxURI: alice.identity.URI + "/inbox", Host: "a.test", ActivityID: forged + "/activity", Body: body}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "alice's server to check the forged quote", func() bool {
		state := a.quoteState(t, forged)
		return state != "" && state != "verifying"
	})
	if state := a.quoteState(t, forged); state != "pending" {
		t.Fatalf("a quote with another quote's authorization: %s", state)
	}

	bob.json("PUT", "/api/v1/statuses/"+q["id"].(string)+"/interaction_policy", map[string]any{"quote_approval_policy": "nobody"}, nil)
	eventually(t, "the policy change to reach a.test", func() bool {
		return len(approvalOf(t, alice.status(onA["id"].(string)))["automatic"].([]any)) == 0
	})
	wantApproval(t, "after the change", alice.status(onA["id"].(string)), []string{}, "denied")
	if status, _ := alice.do("POST", "/api/v1/statuses", map[string]any{"status": "x", "quoted_status_id": onA["id"]}); status != 404 {
		t.Fatalf("quoting a remote post whose policy is nobody: %d", status)
	}
}
