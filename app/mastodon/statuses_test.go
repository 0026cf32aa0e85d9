package mastodon_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func testJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Posting with media, reading it back and in the home timeline; editing
// and deleting.
func TestStatusLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")

	var me map[string]any
	alice.json("GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["acct"] != "alice" || me["username"] != "alice" || me["source"] == nil {
		t.Fatalf("verify_credentials: %v", me)
	}

	status, body := alice.do("POST", "/api/v2/media", multipartForm(map[string]string{"description": "a kea", "focus": "0.5,-0.5"}, "file", "C:\\Users\\me\\kea.jpg", testJPEG(t, 320, 240)))
	if status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, body)
	}
	m := obj(t, body)
	if m["type"] != "image" || m["description"] != "a kea" || m["url"] == nil || m["blurhash"] == nil {
		t.Fatalf("uploaded media: %v", m)
	}
	mediaID := m["id"].(string)

	var st map[string]any
	alice.json("POST", "/api/v1/statuses", map[string]any{"status": "Kia ora #kea", "media_ids": []string{mediaID}, "visibility": "unlisted"}, &st)
	if st["visibility"] != "unlisted" || !strings.Contains(st["content"].(string), "Kia ora") ||
		len(st["media_attachments"].([]any)) != 1 || len(st["tags"].([]any)) != 1 {
		t.Fatalf("created status: %v", st)
	}
	id := st["id"].(string)

	alice.json("GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["statuses_count"] != 1.0 || me["last_status_at"] == nil {
		t.Fatalf("counters after posting: %v", me)
	}
	var again map[string]any
	alice.json("GET", "/api/v1/statuses/"+id, nil, &again)
	if again["id"] != id || again["favourited"] != false {
		t.Fatalf("status read back: %v", again)
	}
	var home []map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for len(home) == 0 && time.Now().Before(deadline) {
		alice.json("GET", "/api/v1/timelines/home", nil, &home)
		time.Sleep(50 * time.Millisecond)
	}
	if len(home) != 1 || home[0]["id"] != id {
		t.Fatalf("home timeline: %v", home)
	}

	var edited map[string]any
	alice.json("PUT", "/api/v1/statuses/"+id, url.Values{"status": {"Kia ora koutou"}}, &edited)
	if !strings.Contains(edited["content"].(string), "koutou") || edited["edited_at"] == nil || edited["visibility"] != "unlisted" {
		t.Fatalf("edited status: %v", edited)
	}

	bob := s.user("bob", "")
	if status, _ := bob.do("DELETE", "/api/v1/statuses/"+id, nil); status != http.StatusNotFound {
		t.Fatalf("bob deleting alice's status: %d", status)
	}
	var deleted map[string]any
	alice.json("DELETE", "/api/v1/statuses/"+id, nil, &deleted)
	if deleted["text"] != "Kia ora koutou" {
		t.Fatalf("deleted status (for redraft): %v", deleted)
	}
	if status, _ := alice.do("GET", "/api/v1/statuses/"+id, nil); status != http.StatusNotFound {
		t.Fatalf("a deleted status: %d", status)
	}
	alice.json("GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["statuses_count"] != 0.0 {
		t.Fatalf("counters after deleting: %v", me)
	}
}

// Scopes and ownership: a read-only token cannot post, another user's
// media cannot be attached, bad input gets 422 and writes nothing.
func TestStatusRefusals(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	alice := s.user("alice", "")
	reader := s.user("rita", "read")
	bob := s.user("bob", "")

	if status, body := reader.do("POST", "/api/v1/statuses", url.Values{"status": {"hi"}}); status != http.StatusForbidden {
		t.Fatalf("read-only token posting: %d %s", status, body)
	}
	if status, _ := s.anonymous().do("POST", "/api/v1/statuses", url.Values{"status": {"hi"}}); status != http.StatusUnauthorized {
		t.Fatalf("no token posting: %d", status)
	}
	_, body := alice.do("POST", "/api/v1/media", multipartForm(nil, "file", "x.jpg", testJPEG(t, 32, 32)))
	mediaID := obj(t, body)["id"].(string)
	if status, body := bob.do("POST", "/api/v1/statuses", map[string]any{"status": "stolen", "media_ids": []string{mediaID}}); status != http.StatusUnprocessableEntity {
		t.Fatalf("another user's media: %d %s", status, body)
	}
	cases := []struct {
		name string
		body any
	}{
		{"empty", url.Values{"status": {""}}},
		{"too long", url.Values{"status": {strings.Repeat("a", 501)}}},
		{"unknown visibility", url.Values{"status": {"x"}, "visibility": {"everyone"}}},
		{"bad media id", url.Values{"status": {"x"}, "media_ids[]": {"abc"}}},
		{"too many media", map[string]any{"status": "x", "media_ids": []string{"1", "2", "3", "4", "5"}}},
		{"poll without expiry", map[string]any{"status": "x", "poll": map[string]any{"options": []string{"a", "b"}}}},
	}
	for _, c := range cases {
		if status, body := alice.do("POST", "/api/v1/statuses", c.body); status != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: %d %s, want 422 with an error", c.name, status, body)
		}
	}
	var home []map[string]any
	alice.json("GET", "/api/v1/timelines/public?local=true", nil, &home)
	if len(home) != 0 {
		t.Fatalf("refused statuses were written: %v", home)
	}
	if status, body := s.anonymous().do("GET", "/api/v1/no/such/thing", nil); status != http.StatusNotFound || !strings.Contains(string(body), `"error"`) {
		t.Fatalf("unknown API path: %d %s", status, body)
	}
}

// Large uploads answer 202 and are processed in the background: GET
// /api/v1/media/:id answers 206, then 200 with a URL.
func TestMediaProcessingPath(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil, "PUKEKO_MEDIA_SYNC_PIXELS=100")
	alice := s.user("alice", "")
	status, body := alice.do("POST", "/api/v2/media", multipartForm(nil, "file", "big.jpg", testJPEG(t, 200, 100)))
	if status != http.StatusAccepted {
		t.Fatalf("large upload: %d %s", status, body)
	}
	m := obj(t, body)
	if m["url"] != nil {
		t.Fatalf("a processing upload has a url: %v", m)
	}
	id := m["id"].(string)
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, body = alice.do("GET", "/api/v1/media/"+id, nil)
		if status == http.StatusOK {
			break
		}
		if status != http.StatusPartialContent || time.Now().After(deadline) {
			t.Fatalf("media while processing: %d %s", status, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if m := obj(t, body); m["url"] == nil || m["preview_url"] == nil {
		t.Fatalf("processed media: %v", m)
	}
	if status, _ := s.user("bob", "").do("GET", "/api/v1/media/"+id, nil); status != http.StatusNotFound {
		t.Fatalf("bob reading alice's upload: %d", status)
	}
}
