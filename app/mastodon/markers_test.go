package mastodon_test

import (
	"net/http"
	"net/url"
	"testing"
)

// Markers: none at first, saved per timeline with a version that counts
// the updates (0 at first, as Mastodon's lock_version), read back by
// timeline[]; bad ids are refused.
func TestMarkerSaveAndRead(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	var got map[string]map[string]any
	alice.json("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", nil, &got)
	if len(got) != 0 {
		t.Fatalf("markers before any: %v", got)
	}
	alice.json("POST", "/api/v1/markers", map[string]any{"home": map[string]any{"last_read_id": "1234"}}, &got)
	if got["home"]["last_read_id"] != "1234" || got["home"]["version"] != float64(0) || got["notifications"] != nil {
		t.Fatalf("saved: %v", got)
	}
	got = nil
	alice.json("POST", "/api/v1/markers", url.Values{"home[last_read_id]": {"1300"}, "notifications[last_read_id]": {"77"}}, &got)
	if got["home"]["last_read_id"] != "1300" || got["home"]["version"] != float64(1) || got["notifications"]["version"] != float64(0) {
		t.Fatalf("saved again: %v", got)
	}
	got = nil
	alice.json("GET", "/api/v1/markers?timeline[]=home", nil, &got)
	if len(got) != 1 || got["home"]["last_read_id"] != "1300" || got["home"]["updated_at"] == nil {
		t.Fatalf("home marker: %v", got)
	}
	got = nil
	alice.json("GET", "/api/v1/markers", nil, &got)
	if len(got) != 0 {
		t.Fatalf("no timeline asked: %v", got)
	}
	if status, body := alice.do("POST", "/api/v1/markers", url.Values{"home[last_read_id]": {"latest"}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad id: %d %s", status, body)
	}
	bob := s.user("bob", "")
	got = nil
	bob.json("GET", "/api/v1/markers?timeline[]=home", nil, &got)
	if len(got) != 0 {
		t.Fatalf("bob sees alice's markers: %v", got)
	}
	if status, _ := s.user("rita", "read").do("POST", "/api/v1/markers", url.Values{"home[last_read_id]": {"1"}}); status != http.StatusForbidden {
		t.Fatalf("saving with a read token: %d", status)
	}
}
