package mastodon_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/social"
)

// Announcements of the domain: listed with their emoji and reactions,
// dismissed per user, reacted to with emoji.
func TestAnnouncementLifecycle(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	srvAddDomain(t, s, "b.test", "Bee")
	ctx := context.Background()
	if _, err := s.DB.Exec(ctx, `INSERT INTO emoji (id, shortcode, domain, image_url) VALUES (1, 'kea', '', 'https://cdn.example/kea.png')`); err != nil {
		t.Fatal(err)
	}
	alice, bob := s.user("alice", ""), s.user("bob", "")
	past := time.Now().Add(-time.Hour)
	shown, err := s.Instance.CreateAnnouncement(ctx, social.AnnouncementOptions{Text: "Maintenance tonight :kea: https://status.example", Publish: true, StartsAt: &past})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Instance.CreateAnnouncement(ctx, social.AnnouncementOptions{Text: "a draft"}); err != nil {
		t.Fatal(err)
	}
	other, err := s.Instance.CreateAnnouncement(ctx, social.AnnouncementOptions{Text: "for b only", Domain: "b.test", Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	ended := past
	if _, err := s.Instance.CreateAnnouncement(ctx, social.AnnouncementOptions{Text: "over", Publish: true, EndsAt: &ended}); err != nil {
		t.Fatal(err)
	}
	id := idStr(shown.ID)

	var list []map[string]any
	alice.json("GET", "/api/v1/announcements", nil, &list)
	if len(list) != 1 || list[0]["id"] != id || list[0]["read"] != false || list[0]["starts_at"] == nil ||
		!strings.Contains(list[0]["content"].(string), `href="https://status.example"`) {
		t.Fatalf("announcements: %v", list)
	}
	if emojis := list[0]["emojis"].([]any); len(emojis) != 1 || emojis[0].(map[string]any)["shortcode"] != "kea" {
		t.Fatalf("emojis: %v", emojis)
	}

	srvStatus(t, alice, "PUT", "/api/v1/announcements/"+id+"/reactions/"+url.PathEscape("👍"), nil, http.StatusOK)
	srvStatus(t, bob, "PUT", "/api/v1/announcements/"+id+"/reactions/"+url.PathEscape("👍"), nil, http.StatusOK)
	srvStatus(t, bob, "PUT", "/api/v1/announcements/"+id+"/reactions/kea", nil, http.StatusOK)
	srvStatus(t, bob, "PUT", "/api/v1/announcements/"+id+"/reactions/nonsense", nil, http.StatusUnprocessableEntity)
	srvStatus(t, bob, "PUT", "/api/v1/announcements/"+idStr(other.ID)+"/reactions/kea", nil, http.StatusNotFound)
	alice.json("GET", "/api/v1/announcements", nil, &list)
	reactions := list[0]["reactions"].([]any)
	if len(reactions) != 2 {
		t.Fatalf("reactions: %v", reactions)
	}
	thumbs, kea := reactions[0].(map[string]any), reactions[1].(map[string]any)
	if thumbs["name"] != "👍" || thumbs["count"] != 2.0 || thumbs["me"] != true || kea["name"] != "kea" || kea["me"] != false ||
		kea["url"] != "https://cdn.example/kea.png" {
		t.Fatalf("reactions: %v", reactions)
	}
	srvStatus(t, bob, "DELETE", "/api/v1/announcements/"+id+"/reactions/kea", nil, http.StatusOK)
	bob.json("GET", "/api/v1/announcements", nil, &list)
	if r := list[0]["reactions"].([]any); len(r) != 1 || r[0].(map[string]any)["me"] != true {
		t.Fatalf("reactions after removal: %v", r)
	}

	srvStatus(t, alice, "POST", "/api/v1/announcements/"+id+"/dismiss", nil, http.StatusOK)
	alice.json("GET", "/api/v1/announcements", nil, &list)
	if len(list) != 0 {
		t.Fatalf("dismissed announcement listed: %v", list)
	}
	alice.json("GET", "/api/v1/announcements?with_dismissed=true", nil, &list)
	if len(list) != 1 || list[0]["read"] != true {
		t.Fatalf("with_dismissed: %v", list)
	}
	bob.json("GET", "/api/v1/announcements", nil, &list)
	if len(list) != 1 || list[0]["read"] != false {
		t.Fatalf("bob's announcements: %v", list)
	}

	srvStatus(t, alice, "POST", "/api/v1/announcements/12345/dismiss", nil, http.StatusNotFound)
	srvStatus(t, s.anonymous(), "GET", "/api/v1/announcements", nil, http.StatusUnauthorized)
	reader := s.user("rita", "read")
	srvStatus(t, reader, "POST", "/api/v1/announcements/"+id+"/dismiss", nil, http.StatusForbidden)
}
