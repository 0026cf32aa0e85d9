package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/store"
)

// Reports of local accounts are stored for the moderators; bad input and
// missing permissions are refused.
func TestReportLocal(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	ctx := context.Background()
	alice, bob, carol := s.user("alice", ""), s.user("bob", ""), s.user("carol", "")
	bobPost := bob.postStatus(map[string]any{"status": "buy my stuff"})
	carolPost := carol.postStatus(map[string]any{"status": "hello"})
	rule, err := store.AddServerRule(ctx, s.DB, "No spam", "")
	if err != nil {
		t.Fatal(err)
	}

	var r map[string]any
	alice.json("POST", "/api/v1/reports", map[string]any{"account_id": idStr(bob.identity.ID), "status_ids": []string{bobPost},
		"comment": "spam", "category": "spam", "forward": true}, &r)
	if r["category"] != "spam" || r["comment"] != "spam" || r["forwarded"] != false || r["action_taken"] != false ||
		r["target_account"].(map[string]any)["id"] != idStr(bob.identity.ID) || len(r["status_ids"].([]any)) != 1 ||
		r["status_ids"].([]any)[0] != bobPost {
		t.Fatalf("report: %v", r)
	}
	alice.json("POST", "/api/v1/reports", url.Values{"account_id": {idStr(bob.identity.ID)}, "rule_ids[]": {idStr(rule.ID)}}, &r)
	if r["category"] != "violation" || r["rule_ids"].([]any)[0] != idStr(rule.ID) {
		t.Fatalf("report of a rule violation: %v", r)
	}
	reports, err := store.ReportsAbout(ctx, s.DB, bob.identity.ID)
	if err != nil || len(reports) != 2 || reports[1].ReporterID != alice.identity.ID || !reports[1].Local || reports[1].Comment != "spam" {
		t.Fatalf("stored reports: %v %v", reports, err)
	}

	for _, c := range []struct {
		body url.Values
		want int
	}{
		{url.Values{"account_id": {"999"}}, http.StatusNotFound},
		{url.Values{}, http.StatusNotFound},
		{url.Values{"account_id": {idStr(bob.identity.ID)}, "status_ids[]": {carolPost}}, http.StatusNotFound},
		{url.Values{"account_id": {idStr(bob.identity.ID)}, "category": {"rude"}}, http.StatusUnprocessableEntity},
		{url.Values{"account_id": {idStr(bob.identity.ID)}, "comment": {strings.Repeat("x", 1001)}}, http.StatusUnprocessableEntity},
		{url.Values{"account_id": {idStr(bob.identity.ID)}, "category": {"violation"}, "rule_ids[]": {"12345"}}, http.StatusUnprocessableEntity},
	} {
		srvStatus(t, alice, "POST", "/api/v1/reports", c.body, c.want)
	}
	srvStatus(t, s.anonymous(), "POST", "/api/v1/reports", url.Values{"account_id": {idStr(bob.identity.ID)}}, http.StatusUnauthorized)
	srvStatus(t, s.user("rita", "read"), "POST", "/api/v1/reports", url.Values{"account_id": {idStr(bob.identity.ID)}}, http.StatusForbidden)
	if reports, _ := store.ReportsAbout(ctx, s.DB, bob.identity.ID); len(reports) != 2 {
		t.Fatalf("refused reports were stored: %d", len(reports))
	}
}

// A forwarded report of a remote account reaches its server as a Flag
// from our server's actor, where it becomes a report too.
func TestReportForwarded(t *testing.T) {
	t.Parallel()
	a, b := twoServers(t)
	ctx := context.Background()
	alice, bob := a.user("alice", ""), b.user("bob", "")
	var st map[string]any
	bob.json("POST", "/api/v1/statuses", map[string]any{"status": "something awful"}, &st)
	bobPost := st["id"].(string)

	found, err := a.Instance.Resolve(ctx, alice.identity.ID, st["uri"].(string))
	if err != nil || found.Post == nil {
		t.Fatalf("resolving bob's post: %v %v", found, err)
	}
	var r map[string]any
	alice.json("POST", "/api/v1/reports", url.Values{"account_id": {idStr(found.Post.AuthorID)}, "comment": {"please look"},
		"status_ids[]": {idStr(found.Post.ID)}, "forward": {"true"}}, &r)
	if r["forwarded"] != true || r["target_account"].(map[string]any)["acct"] != "bob@b.test" {
		t.Fatalf("forwarded report: %v", r)
	}

	var actor, result string
	eventually(t, "the Flag in b.test's inbox", func() bool {
		err := b.DB.QueryRow(ctx, `SELECT actor_uri, result FROM inbox_messages WHERE activity_type = 'Flag'
			AND state <> 'received'`).Scan(&actor, &result)
		return err == nil
	})
	if actor != "http://a.test/actor" {
		t.Fatalf("the Flag came from %s, not the server's actor", actor)
	}
	reports, err := store.ReportsAbout(ctx, b.DB, bob.identity.ID)
	if err != nil || len(reports) != 1 || reports[0].Comment != "please look" || reports[0].Local ||
		len(reports[0].PostIDs) != 1 || idStr(reports[0].PostIDs[0]) != bobPost {
		t.Fatalf("report on b.test: %+v %v (inbox result %q)", reports, err, result)
	}
}
