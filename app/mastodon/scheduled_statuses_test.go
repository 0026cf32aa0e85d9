package mastodon_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"pukeko/app/node"
	"pukeko/app/stator"
)

// runScheduledGraph runs the scheduled statuses graph on s when the node
// does not run it itself.
func runScheduledGraph(t *testing.T, s *server) {
	t.Helper()
	g := s.Instance.ScheduledStatusGraph()
	if slices.Contains(s.AllGraphs(), g) {
		return
	}
	r, err := node.NewRunner(s.Config, s.DB, []*stator.Graph{g}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		<-done
	})
}

// Scheduling a status: it answers a ScheduledStatus, is listed, moved and
// deleted; too soon is refused; when its time comes, it is posted.
func TestScheduledStatusLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)

	_, body := alice.do("POST", "/api/v2/media", multipartForm(nil, "file", "kea.jpg", testJPEG(t, 64, 48)))
	mediaID := obj(t, body)["id"].(string)
	var sched map[string]any
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "Later #kea", "scheduled_at": at,
		"visibility": "unlisted", "media_ids": []string{mediaID}, "spoiler_text": "soon"}, &sched)
	params, _ := sched["params"].(map[string]any)
	id, _ := sched["id"].(string)
	if id == "" || params["text"] != "Later #kea" || params["visibility"] != "unlisted" || params["spoiler_text"] != "soon" ||
		len(sched["media_attachments"].([]any)) != 1 || params["media_ids"].([]any)[0] != mediaID {
		t.Fatalf("scheduled: %v", sched)
	}
	if _, has := sched["content"]; has {
		t.Fatalf("a Status answered instead: %v", sched)
	}
	var list []map[string]any
	alice.json("GET", "/api/v1/scheduled_statuses", nil, &list)
	if len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("list: %v", list)
	}
	bob.json("GET", "/api/v1/scheduled_statuses", nil, &list)
	if len(list) != 0 {
		t.Fatalf("bob's list: %v", list)
	}
	if status, _ := bob.do("GET", "/api/v1/scheduled_statuses/"+id, nil); status != http.StatusNotFound {
		t.Fatalf("bob reading alice's: %d", status)
	}

	later := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	alice.json("PUT", "/api/v1/scheduled_statuses/"+id, url.Values{"scheduled_at": {later.Format(time.RFC3339)}}, &sched)
	if sched["scheduled_at"] != later.Format("2006-01-02T15:04:05.000Z") {
		t.Fatalf("moved: %v", sched)
	}
	refusals := []struct {
		name   string
		method string
		path   string
		body   any
		want   int
	}{
		{"too soon", "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "scheduled_at": {time.Now().Add(time.Minute).Format(time.RFC3339)}}, 422},
		{"in the past", "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "scheduled_at": {"2001-01-01T00:00:00Z"}}, 422},
		{"not a time", "POST", "/api/v1/statuses", url.Values{"status": {"x"}, "scheduled_at": {"tomorrow"}}, 422},
		{"empty", "POST", "/api/v1/statuses", url.Values{"status": {""}, "scheduled_at": {at}}, 422},
		{"moved too soon", "PUT", "/api/v1/scheduled_statuses/" + id, url.Values{"scheduled_at": {time.Now().Format(time.RFC3339)}}, 422},
		{"unknown", "GET", "/api/v1/scheduled_statuses/1", nil, 404},
	}
	for _, r := range refusals {
		if status, body := alice.do(r.method, r.path, r.body); status != r.want {
			t.Errorf("%s: %d %s", r.name, status, body)
		}
	}
	alice.json("GET", "/api/v1/scheduled_statuses", nil, &list)
	if len(list) != 1 {
		t.Fatalf("refusals scheduled something: %v", list)
	}

	// Another one, deleted.
	var other map[string]any
	alice.json("POST", "/api/v1/statuses", url.Values{"status": {"never"}, "scheduled_at": {at}}, &other)
	alice.json("DELETE", "/api/v1/scheduled_statuses/"+other["id"].(string), nil, nil)
	if status, _ := alice.do("DELETE", "/api/v1/scheduled_statuses/"+other["id"].(string), nil); status != http.StatusNotFound {
		t.Fatalf("deleting twice: %d", status)
	}

	// Its time comes (the clock is moved by hand: 5 minutes is the least).
	runScheduledGraph(t, s)
	if _, err := s.DB.Exec(context.Background(), `UPDATE scheduled_statuses SET scheduled_at = now(), state_next_attempt = now()
		WHERE id = $1::bigint`, id); err != nil {
		t.Fatal(err)
	}
	var posted []map[string]any
	eventually(t, "the scheduled status to be posted", func() bool {
		alice.json("GET", "/api/v1/accounts/"+alice.accountID()+"/statuses", nil, &posted)
		return len(posted) == 1
	})
	if posted[0]["visibility"] != "unlisted" || posted[0]["spoiler_text"] != "soon" || len(posted[0]["media_attachments"].([]any)) != 1 {
		t.Fatalf("posted: %v", posted[0])
	}
	alice.json("GET", "/api/v1/scheduled_statuses", nil, &list)
	if len(list) != 0 {
		t.Fatalf("still scheduled after posting: %v", list)
	}
}
