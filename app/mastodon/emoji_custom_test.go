package mastodon_test

import (
	"context"
	"strings"
	"testing"
)

// GET /api/v1/custom_emojis lists our emoji of the request's domain:
// those of every domain and its own, stored images on the request's host.
func TestCustomEmojiList(t *testing.T) {
	t.Parallel()
	s := startServer(t, "a.test", nil)
	srvAddDomain(t, s, "b.test", "Bee")
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO emoji (id, shortcode, domain, image_url, visible_in_picker) VALUES (1, 'kea', '', 'https://cdn.example/kea.png', true)`,
		`INSERT INTO emoji (id, shortcode, domain, image_url, file_key, visible_in_picker, local_domain, category)
			VALUES (2, 'bee', '', 'https://old.example/bee.png', 'emoji/bee.png', false, 'b.test', 'Insects')`,
		`INSERT INTO emoji (id, shortcode, domain, image_url) VALUES (3, 'remote', 'other.example', 'https://other.example/r.png')`,
	} {
		if _, err := s.DB.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	var onA []map[string]any
	s.anonymous().json("GET", "/api/v1/custom_emojis", nil, &onA)
	if len(onA) != 1 || onA[0]["shortcode"] != "kea" || onA[0]["url"] != "https://cdn.example/kea.png" ||
		onA[0]["static_url"] != "https://cdn.example/kea.png" || onA[0]["visible_in_picker"] != true || onA[0]["category"] != nil {
		t.Fatalf("emoji of a.test: %v", onA)
	}
	var onB []map[string]any
	srvOn(s, "b.test").json("GET", "/api/v1/custom_emojis", nil, &onB)
	if len(onB) != 2 || onB[0]["shortcode"] != "bee" || onB[0]["category"] != "Insects" || onB[0]["visible_in_picker"] != false ||
		!strings.HasSuffix(onB[0]["url"].(string), "/media/emoji/bee.png") || !strings.HasPrefix(onB[0]["url"].(string), "http://b.test/") {
		t.Fatalf("emoji of b.test: %v", onB)
	}
}
