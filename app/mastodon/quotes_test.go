package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// status reads a status as c.
func (c *client) status(id string) map[string]any {
	c.t.Helper()
	var st map[string]any
	c.json("GET", "/api/v1/statuses/"+id, nil, &st)
	return st
}

// quoteOf returns the quote of a status, nil when it is null.
func quoteOf(t *testing.T, st map[string]any) map[string]any {
	t.Helper()
	q, ok := st["quote"]
	if !ok {
		t.Fatalf("status %v has no quote key", st["id"])
	}
	m, _ := q.(map[string]any)
	return m
}

// approvalOf returns the quote_approval of a status.
func approvalOf(t *testing.T, st map[string]any) map[string]any {
	t.Helper()
	m, ok := st["quote_approval"].(map[string]any)
	if !ok {
		t.Fatalf("status %v: quote_approval %v", st["id"], st["quote_approval"])
	}
	return m
}

// wantApproval checks a quote_approval: its automatic list and how it
// applies to the reader.
func wantApproval(t *testing.T, what string, st map[string]any, automatic []string, current string) {
	t.Helper()
	a := approvalOf(t, st)
	var got []string
	for _, v := range a["automatic"].([]any) {
		got = append(got, v.(string))
	}
	if !slices.Equal(got, automatic) || a["current_user"] != current || len(a["manual"].([]any)) != 0 {
		t.Fatalf("%s: quote_approval %v, want automatic %v and current_user %s", what, a, automatic, current)
	}
}

// wantQuoteRefused checks that posting body as c is refused with status
// and Mastodon's message, and that nothing was written.
func wantQuoteRefused(t *testing.T, c *client, what string, body map[string]any, status int, msg string) {
	t.Helper()
	before := c.countPosts()
	code, data := c.do("POST", "/api/v1/statuses", body)
	if code != status || !strings.Contains(string(data), msg) {
		t.Fatalf("%s: %d %s, want %d %q", what, code, data, status, msg)
	}
	if after := c.countPosts(); after != before {
		t.Fatalf("%s: %d posts after a refusal, %d before", what, after, before)
	}
}

// countPosts counts c's posts and the quotes on the server.
func (c *client) countPosts() int {
	c.t.Helper()
	var n int
	if err := c.s.DB.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM posts WHERE author_id = $1)
		+ (SELECT count(*) FROM quotes)`, c.identity.ID).Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}

// Quoting a local post: the quote is accepted at once and shows the quoted
// status (whose own quote is shallow), the quoted status counts it and
// lists it, its author is told, and quote_approval says who may quote.
func TestQuoteLocal(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	p := alice.compose("Kia ora", nil)
	pid := p["id"].(string)
	if p["quote"] != nil || p["quotes_count"] != float64(0) {
		t.Fatalf("a new status: quote %v, quotes_count %v", p["quote"], p["quotes_count"])
	}
	wantApproval(t, "the author", p, []string{"public"}, "automatic")
	wantApproval(t, "another user", bob.status(pid), []string{"public"}, "automatic")
	var anon map[string]any
	s.anonymous().json("GET", "/api/v1/statuses/"+pid, nil, &anon)
	wantApproval(t, "logged out", anon, []string{"public"}, "denied")

	q := bob.compose("Look at this", map[string]any{"quoted_status_id": pid})
	qid := q["id"].(string)
	quote := quoteOf(t, q)
	inner, _ := quote["quoted_status"].(map[string]any)
	if quote["state"] != "accepted" || inner == nil || inner["id"] != pid || inner["quote"] != nil {
		t.Fatalf("bob's quote: %v", quote)
	}
	if got := bob.status(pid)["quotes_count"]; got != float64(1) {
		t.Fatalf("quotes_count of the quoted status: %v", got)
	}

	// A quote of the quote nests one level: the inner quote is shallow.
	r := carol.compose("Quoting a quote", map[string]any{"quoted_status_id": qid})
	inner, _ = quoteOf(t, r)["quoted_status"].(map[string]any)
	shallow, _ := inner["quote"].(map[string]any)
	if inner["id"] != qid || shallow["state"] != "accepted" || shallow["quoted_status_id"] != pid || shallow["quoted_status"] != nil {
		t.Fatalf("carol's quote of bob's quote: %v", quoteOf(t, r))
	}

	var list []map[string]any
	s.acctApp("read").json("GET", "/api/v1/statuses/"+pid+"/quotes", nil, &list)
	if len(list) != 1 || list[0]["id"] != qid {
		t.Fatalf("quotes of alice's status (app token): %v", list)
	}
	if status, _ := s.anonymous().do("GET", "/api/v1/statuses/"+pid+"/quotes", nil); status != http.StatusUnauthorized {
		t.Fatalf("quotes without a token: %d", status)
	}

	var notes []map[string]any
	alice.json("GET", "/api/v1/notifications?types[]=quote", nil, &notes)
	if len(notes) != 1 || notes[0]["type"] != "quote" || notes[0]["status"].(map[string]any)["id"] != qid ||
		notes[0]["account"].(map[string]any)["acct"] != "bob" {
		t.Fatalf("alice's quote notifications: %v", notes)
	}

	// Editing the quoted status tells the quoter, with their quote.
	alice.json("PUT", "/api/v1/statuses/"+pid, map[string]any{"status": "Kia ora koutou"}, nil)
	eventually(t, "bob to hear of the edit", func() bool {
		bob.json("GET", "/api/v1/notifications?types[]=quoted_update", nil, &notes)
		return len(notes) == 1 && notes[0]["status"].(map[string]any)["id"] == qid
	})

	// A quoted status the reader may not see, or that is gone, is not shown.
	alice.acctAction(carol.accountID(), "block", nil)
	if q := quoteOf(t, carol.status(qid)); q["state"] != "unauthorized" || q["quoted_status"] != nil {
		t.Fatalf("bob's quote, for carol blocked by alice: %v", q)
	}
	alice.json("DELETE", "/api/v1/statuses/"+pid, nil, nil)
	if q := quoteOf(t, bob.status(qid)); q["state"] != "deleted" || q["quoted_status"] != nil {
		t.Fatalf("bob's quote of a deleted status: %v", q)
	}
}

// What may not be quoted is refused as Mastodon refuses it (404, one
// message for unknown, invisible and not quotable), with nothing written;
// quoting a private post of one's own makes the quote private; a private
// mention must mention the author it quotes.
func TestQuoteRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	const gone = "The post you are trying to quote does not appear to exist."
	public := alice.compose("public", nil)["id"].(string)
	private := alice.compose("private", map[string]any{"visibility": "private"})["id"].(string)
	direct := alice.compose("direct @bob", map[string]any{"visibility": "direct"})["id"].(string)
	nobody := alice.compose("nobody", map[string]any{"quote_approval_policy": "nobody"})["id"].(string)
	followers := alice.compose("followers", map[string]any{"quote_approval_policy": "followers"})["id"].(string)

	wantQuoteRefused(t, bob, "an unknown id", map[string]any{"status": "x", "quoted_status_id": "12345"}, 404, gone)
	wantQuoteRefused(t, bob, "a private post of someone else", map[string]any{"status": "x", "quoted_status_id": private}, 404, gone)
	wantQuoteRefused(t, bob, "a direct post", map[string]any{"status": "x", "quoted_status_id": direct}, 404, gone)
	wantQuoteRefused(t, bob, "policy nobody", map[string]any{"status": "x", "quoted_status_id": nobody}, 404, gone)
	wantQuoteRefused(t, bob, "policy followers, not a follower", map[string]any{"status": "x", "quoted_status_id": followers}, 404, gone)
	wantQuoteRefused(t, bob, "a bad policy", map[string]any{"status": "x", "quote_approval_policy": "everyone"}, 422, "Quote approval policy")
	wantQuoteRefused(t, alice, "a private mention not mentioning the quoted author",
		map[string]any{"status": "x", "visibility": "direct", "quoted_status_id": bob.compose("mine", nil)["id"]}, 422, "non-mentioned")
	wantQuoteRefused(t, bob, "a scheduled quote",
		map[string]any{"status": "x", "quoted_status_id": public, "scheduled_at": "2099-01-01T00:00:00Z"}, 422, "Scheduled")
	wantApproval(t, "policy nobody, read by another", bob.status(nobody), []string{}, "denied")
	wantApproval(t, "policy followers, read by a stranger", bob.status(followers), []string{"followers"}, "denied")
	wantApproval(t, "a private post, read by its author", alice.status(private), []string{}, "automatic")

	followNow(t, s, bob.identity, alice.identity)
	wantApproval(t, "policy followers, read by a follower", bob.status(followers), []string{"followers"}, "automatic")
	if q := quoteOf(t, bob.compose("as a follower", map[string]any{"quoted_status_id": followers})); q["state"] != "accepted" {
		t.Fatalf("a follower quoting a followers-only policy: %v", q)
	}
	wantQuoteRefused(t, bob, "a private post, as a follower", map[string]any{"status": "x", "quoted_status_id": private}, 404, gone)

	own := alice.compose("my own private post quoted", map[string]any{"quoted_status_id": private, "visibility": "public"})
	if own["visibility"] != "private" || quoteOf(t, own)["state"] != "accepted" {
		t.Fatalf("quoting one's own private post: visibility %v, quote %v", own["visibility"], own["quote"])
	}
	wantApproval(t, "a quote made private", own, []string{}, "automatic")
	dm := bob.compose("@alice see", map[string]any{"visibility": "direct", "quoted_status_id": public})
	if dm["visibility"] != "direct" || quoteOf(t, dm)["state"] != "accepted" {
		t.Fatalf("a private mention quoting the mentioned author: %v", dm)
	}
}

// The quotes of a status are paged newest first with Link headers, and
// leave out those the reader may not see.
func TestQuoteList(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	pid := alice.compose("Kia ora", nil)["id"].(string)
	var ids []string
	for _, text := range []string{"one", "two", "three"} {
		ids = append(ids, bob.compose(text, map[string]any{"quoted_status_id": pid})["id"].(string))
	}
	hidden := bob.compose("for followers", map[string]any{"quoted_status_id": pid, "visibility": "private"})["id"].(string)

	resp, body := carol.request("GET", "/api/v1/statuses/"+pid+"/quotes?limit=2", nil, nil)
	if got := fieldOf(t, body, "id"); resp.StatusCode != 200 || !slices.Equal(got, []string{ids[2], ids[1]}) {
		t.Fatalf("first page: %d %v, want %v and %v", resp.StatusCode, got, ids[2], ids[1])
	}
	next := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	status, body := carol.do("GET", "/api/v1/statuses/"+pid+"/quotes?limit=2&max_id="+next, nil)
	if got := fieldOf(t, body, "id"); status != 200 || !slices.Equal(got, []string{ids[0]}) {
		t.Fatalf("second page: %d %v", status, got)
	}
	var all []map[string]any
	bob.json("GET", "/api/v1/statuses/"+pid+"/quotes", nil, &all)
	if len(all) != 4 || all[0]["id"] != hidden {
		t.Fatalf("bob sees his private quote too: %v", all)
	}
	if status, _ := carol.do("GET", "/api/v1/statuses/98765/quotes", nil); status != 404 {
		t.Fatalf("quotes of an unknown status: %d", status)
	}
}

// The quoted author revokes a quote: it shows revoked without the quoted
// status and leaves the count, the list and the notifications; nobody else
// may revoke it.
func TestQuoteRevoke(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	pid := alice.compose("Kia ora", nil)["id"].(string)
	qid := bob.compose("quote", map[string]any{"quoted_status_id": pid})["id"].(string)
	other := carol.compose("not a quote", nil)["id"].(string)
	path := "/api/v1/statuses/" + pid + "/quotes/" + qid + "/revoke"

	if status, body := carol.do("POST", path, nil); status != http.StatusForbidden {
		t.Fatalf("carol revoking: %d %s", status, body)
	}
	if status, _ := alice.do("POST", "/api/v1/statuses/"+pid+"/quotes/"+other+"/revoke", nil); status != 404 {
		t.Fatalf("revoking a status that does not quote: %d", status)
	}
	if status, _ := s.user("dave", "read").do("POST", path, nil); status != http.StatusForbidden {
		t.Fatalf("revoking with a read-only token: %d", status)
	}
	var st map[string]any
	alice.json("POST", path, nil, &st)
	if q := quoteOf(t, st); st["id"] != qid || q["state"] != "revoked" || q["quoted_status"] != nil {
		t.Fatalf("revoked: %v", st)
	}
	if q := quoteOf(t, bob.status(qid)); q["state"] != "revoked" {
		t.Fatalf("bob's quote after the revocation: %v", q)
	}
	if n := alice.status(pid)["quotes_count"]; n != float64(0) {
		t.Fatalf("quotes_count after the revocation: %v", n)
	}
	var list, notes []map[string]any
	alice.json("GET", "/api/v1/statuses/"+pid+"/quotes", nil, &list)
	alice.json("GET", "/api/v1/notifications?types[]=quote", nil, &notes)
	if len(list) != 0 || len(notes) != 0 {
		t.Fatalf("after the revocation: quotes %v, notifications %v", list, notes)
	}
}

// The author changes who may quote a status, by the interaction policy or
// by an edit; private statuses stay quotable by nobody; others may not.
func TestQuoteInteractionPolicy(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice, bob := s.user("alice", ""), s.user("bob", "")
	pid := alice.compose("Kia ora", nil)["id"].(string)
	path := "/api/v1/statuses/" + pid + "/interaction_policy"

	var st map[string]any
	alice.json("PUT", path, url.Values{"quote_approval_policy": {"nobody"}}, &st)
	wantApproval(t, "policy nobody, for the author", st, []string{}, "automatic")
	wantApproval(t, "policy nobody, for another", bob.status(pid), []string{}, "denied")
	wantQuoteRefused(t, bob, "after the change to nobody", map[string]any{"status": "x", "quoted_status_id": pid}, 404, "does not appear to exist")

	alice.json("PUT", "/api/v1/statuses/"+pid, map[string]any{"status": "Kia ora", "quote_approval_policy": "followers"}, &st)
	wantApproval(t, "edited to followers", st, []string{"followers"}, "automatic")
	if status, body := alice.do("PUT", "/api/v1/statuses/"+pid, map[string]any{"quote_approval_policy": "all"}); status != 422 {
		t.Fatalf("an edit with a bad policy: %d %s", status, body)
	}
	alice.json("PUT", path, map[string]any{"quote_approval_policy": "public"}, &st)
	wantApproval(t, "back to public", bob.status(pid), []string{"public"}, "automatic")

	if status, body := bob.do("PUT", path, map[string]any{"quote_approval_policy": "nobody"}); status != http.StatusForbidden {
		t.Fatalf("bob changing alice's policy: %d %s", status, body)
	}
	if status, _ := alice.do("PUT", path, map[string]any{"quote_approval_policy": "friends"}); status != 422 {
		t.Fatalf("a bad policy: %d", status)
	}
	if status, _ := alice.do("PUT", "/api/v1/statuses/424242/interaction_policy", map[string]any{"quote_approval_policy": "public"}); status != 404 {
		t.Fatalf("an unknown status: %d", status)
	}
	private := alice.compose("private", map[string]any{"visibility": "private"})["id"].(string)
	alice.json("PUT", "/api/v1/statuses/"+private+"/interaction_policy", map[string]any{"quote_approval_policy": "public"}, &st)
	wantApproval(t, "a private status asked to be public", st, []string{}, "automatic")
}
