package mastodon_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/store"
)

// A post linking a page gets the page's card, rendered as Mastodon's
// PreviewCard (the harness checks it against the spec): the first link
// that is not a mention or hashtag, OpenGraph read, the image served
// through the media proxy and cached; a second post linking the page
// shares the card without fetching the page again.
func TestPreviewCardFromOpenGraph(t *testing.T) {
	t.Parallel()
	news := newSite(t)
	news.page("/kea", "text/html; charset=utf-8", ogPage("Kea &amp; the alpine", "Clever <b>parrots</b>", "/kea.png"))
	news.page("/kea.png", "image/png", smallPNG(t))
	news.page("/other", "text/html", ogPage("Other", "", ""))
	s := startServer(t, "a.test", map[string]string{"news.test": news.addr()})
	alice, bob := s.user("alice", ""), s.user("bob", "")

	st := alice.compose("@bob #kea read http://News.test/kea#top and http://news.test/other", nil)
	id := st["id"].(string)
	if got := cardState(t, s, "http://news.test/kea"); got != "fetched" {
		t.Fatalf("card state %s", got)
	}
	var card map[string]any
	eventually(t, "the card on the status", func() bool { card = bob.statusCard(id); return card != nil })
	want := map[string]any{"url": "http://news.test/kea", "title": "Kea & the alpine", "description": "Clever parrots",
		"type": "link", "provider_name": "Kea News", "language": "en", "html": "", "author_name": "", "embed_url": ""}
	for k, v := range want {
		if card[k] != v {
			t.Errorf("card %s = %v, want %v", k, card[k], v)
		}
	}
	image, _ := card["image"].(string)
	if !strings.HasPrefix(image, "http://a.test/proxy/") {
		t.Fatalf("image %q: not through the media proxy", image)
	}
	if authors, _ := card["authors"].([]any); len(authors) != 1 {
		t.Fatalf("authors %v", card["authors"])
	}
	// The image was queued for the remote media cache with the card.
	eventually(t, "the card image to be cached", func() bool {
		m, err := store.RemoteMediaByURL(context.Background(), s.DB, "http://news.test/kea.png")
		return err == nil && m != nil && m.State == "cached"
	})
	u, _ := url.Parse(image)
	req, _ := http.NewRequest("GET", "http://"+s.addr+u.Path, nil)
	req.Host = "a.test"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || string(body) != smallPNG(t) {
		t.Fatalf("image through the proxy: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	// The same page again: one card, fetched once; timelines carry it.
	again := bob.compose("also http://news.test/kea", nil)["id"].(string)
	eventually(t, "the second post's card", func() bool { c := alice.statusCard(again); return c != nil && c["title"] == "Kea & the alpine" })
	if n := news.hitsOf("/kea"); n != 1 {
		t.Fatalf("the page was fetched %d times", n)
	}
	var timeline []map[string]any
	s.anonymous().json("GET", "/api/v1/timelines/public", nil, &timeline)
	if len(timeline) != 2 || timeline[0]["card"] == nil || timeline[1]["card"] == nil {
		t.Fatalf("public timeline: %v", timeline)
	}

	// A post linking only a mention, a hashtag and this server gets none.
	plain := alice.compose("@bob #kea http://a.test/@alice", nil)["id"].(string)
	waitFannedOut(t, s, plain)
	if c := bob.statusCard(plain); c != nil {
		t.Fatalf("card of a post without a link: %v", c)
	}

	// A card older than cards.refresh_after is fetched again when a post
	// links it once more, and shows what the page says now.
	news.page("/kea", "text/html", ogPage("Kea, updated", "", ""))
	if _, err := s.DB.Exec(context.Background(), `UPDATE preview_cards SET state_changed = now() - interval '15 days'
		WHERE url = 'http://news.test/kea'`); err != nil {
		t.Fatal(err)
	}
	third := bob.compose("once more http://news.test/kea", nil)["id"].(string)
	eventually(t, "the refreshed card", func() bool { c := alice.statusCard(third); return c != nil && c["title"] == "Kea, updated" })
	if n := news.hitsOf("/kea"); n != 2 {
		t.Fatalf("the page was fetched %d times, want twice", n)
	}

	// A home timeline served before the card came shows it once it has.
	news.page("/slow", "text/html", ogPage("Slow news", "", ""))
	release := news.hold("/slow")
	defer release()
	followNow(t, s, bob.identity, alice.identity)
	slow := alice.compose("http://news.test/slow", nil)["id"].(string)
	waitFannedOut(t, s, slow) // the post row changes no more
	eventually(t, "the post in bob's home", func() bool {
		var home []map[string]any
		bob.json("GET", "/api/v1/timelines/home", nil, &home)
		return len(home) > 0 && home[0]["id"] == slow && home[0]["card"] == nil
	})
	release()
	// Read only once the card is in: the harness's check of cached pages
	// re-renders with the stamps the page was read at, and a card coming
	// in between would look like a stale rendering.
	cardState(t, s, "http://news.test/slow")
	eventually(t, "the card in bob's home", func() bool {
		var home []map[string]any
		bob.json("GET", "/api/v1/timelines/home", nil, &home)
		c, _ := home[0]["card"].(map[string]any)
		return c != nil && c["title"] == "Slow news"
	})

	// An edit that drops the link drops the card.
	alice.json("PUT", "/api/v1/statuses/"+id, map[string]any{"status": "nothing to see"}, nil)
	eventually(t, "the edited post to lose its card", func() bool { return bob.statusCard(id) == nil })
}
