package mastodon_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"
)

// The same Idempotency-Key from the same user answers the same status,
// also when sent at once; another user or another key makes a new one; a
// refused request does not use the key up.
func TestIdempotencyKeyOfStatuses(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	bob := s.user("bob", "")
	post := func(c *client, key, text string) (int, string) {
		resp, body := c.request("POST", "/api/v1/statuses", url.Values{"status": {text}}, http.Header{"Idempotency-Key": {key}})
		var st map[string]any
		json.Unmarshal(body, &st)
		id, _ := st["id"].(string)
		return resp.StatusCode, id
	}
	_, first := post(alice, "k1", "once")
	_, again := post(alice, "k1", "once")
	_, other := post(alice, "k2", "once")
	_, bobs := post(bob, "k1", "once")
	if first == "" || again != first || other == first || bobs == first || bobs == "" {
		t.Fatalf("ids: first %s, again %s, other key %s, bob %s", first, again, other, bobs)
	}

	var wg sync.WaitGroup
	ids := make([]string, 4)
	for k := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, ids[k] = post(alice, "k3", "at once")
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("concurrent requests made %v", ids)
		}
	}

	if status, _ := post(alice, "k4", ""); status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty status: %d", status)
	}
	if status, id := post(alice, "k4", "now with text"); status != http.StatusOK || id == "" {
		t.Fatalf("the key after a refusal: %d %s", status, id)
	}

	// A key with a scheduled status answers it again.
	at := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	var sched, repeat map[string]any
	for _, v := range []*map[string]any{&sched, &repeat} {
		resp, body := alice.request("POST", "/api/v1/statuses", url.Values{"status": {"later"}, "scheduled_at": {at}},
			http.Header{"Idempotency-Key": {"k5"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("scheduling: %d %s", resp.StatusCode, body)
		}
		json.Unmarshal(body, v)
	}
	if sched["id"] == nil || repeat["id"] != sched["id"] || sched["params"].(map[string]any)["idempotency"] != "k5" {
		t.Fatalf("scheduled twice: %v and %v", sched, repeat)
	}
	var statuses []map[string]any
	alice.json("GET", "/api/v1/accounts/"+alice.accountID()+"/statuses", nil, &statuses)
	if len(statuses) != 4 {
		t.Fatalf("alice posted %d statuses, want 4", len(statuses))
	}
}
