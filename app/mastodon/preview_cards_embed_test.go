package mastodon_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"pukeko/app/node/nodetest"
)

// A page pointing at an oEmbed description of a video: the card is a
// video whose html is the iframe Pukeko writes (the embed's script and
// event handlers never reach clients), with the oEmbed names.
func TestPreviewCardOEmbedVideo(t *testing.T) {
	t.Parallel()
	news := newSite(t)
	news.page("/clip", "text/html", `<html><head><title>Clip page</title>
		<link rel="alternate" type="application/json+oembed" href="/oembed?url=clip"></head></html>`)
	news.page("/oembed", "application/json", `{"type": "video", "version": "1.0", "title": "A <b>clip</b>",
		"author_name": "Ana", "author_url": "https://tube.test/ana", "provider_name": "Tube",
		"provider_url": "https://tube.test/", "width": 640, "height": "360", "thumbnail_url": "/thumb.png",
		"html": "<iframe src=\"https://tube.test/embed/7\" onload=\"steal()\"></iframe><script>alert(1)</script>"}`)
	s := startServer(t, "a.test", map[string]string{"news.test": news.addr()})
	alice := s.user("alice", "")
	id := alice.compose("watch http://news.test/clip", nil)["id"].(string)
	cardState(t, s, "http://news.test/clip")
	var card map[string]any
	eventually(t, "the card", func() bool { card = alice.statusCard(id); return card != nil })
	wantHTML := `<iframe src="https://tube.test/embed/7" width="640" height="360" frameborder="0" allowfullscreen="true" ` +
		`sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"></iframe>`
	if card["type"] != "video" || card["html"] != wantHTML || card["title"] != "A clip" || card["author_name"] != "Ana" ||
		card["author_url"] != "https://tube.test/ana" || card["provider_name"] != "Tube" || card["width"] != 640.0 || card["height"] != 360.0 {
		t.Fatalf("card: %v", card)
	}
	authors := card["authors"].([]any)
	if a := authors[0].(map[string]any); a["name"] != "Ana" || a["url"] != "https://tube.test/ana" {
		t.Fatalf("authors: %v", authors)
	}
	if img, _ := card["image"].(string); !strings.HasPrefix(img, "http://a.test/proxy/") {
		t.Fatalf("thumbnail %q not through the proxy", img)
	}
}

// A post received from another server gets its card here too, fetched by
// this server.
func TestPreviewCardOnReceivedPost(t *testing.T) {
	t.Parallel()
	news := newSite(t)
	news.page("/kea", "text/html", ogPage("Kea news", "From afar", ""))
	la, lb := nodetest.Listen(t), nodetest.Listen(t)
	a := startServerOn(t, "a.test", la, map[string]string{"b.test": lb.Addr().String(), "news.test": news.addr()})
	b := startServerOn(t, "b.test", lb, map[string]string{"a.test": la.Addr().String(), "news.test": news.addr()},
		"PUKEKO_CARDS_ENABLED=false")
	alice, bob := a.user("alice", ""), b.user("bob", "")
	var found []map[string]any
	alice.json("GET", "/api/v1/accounts/search?resolve=true&q="+url.QueryEscape("@bob@b.test"), nil, &found)
	if len(found) != 1 {
		t.Fatalf("bob not found: %v", found)
	}
	bobID := found[0]["id"].(string)
	alice.acctAction(bobID, "follow", nil)
	eventually(t, "the follow to be accepted", func() bool { return alice.acctRel(bobID)["following"] == true })

	posted := bob.compose("@alice@a.test look http://news.test/kea", nil)["id"].(string)
	// Read once the card is in (see TestPreviewCardFromOpenGraph).
	if got := cardState(t, a, "http://news.test/kea"); got != "fetched" {
		t.Fatalf("card %s", got)
	}
	var home []map[string]any
	eventually(t, "the post with its card in alice's home", func() bool {
		alice.json("GET", "/api/v1/timelines/home", nil, &home)
		return len(home) == 1 && home[0]["card"] != nil
	})
	if c := home[0]["card"].(map[string]any); c["title"] != "Kea news" || c["url"] != "http://news.test/kea" {
		t.Fatalf("card: %v", c)
	}
	// b.test, where cards are off, fetched nothing and shows none: a.test
	// fetched once.
	eventually(t, "b.test to pass on the post's link", func() bool {
		var state string
		err := b.DB.QueryRow(context.Background(), `SELECT state FROM post_preview_cards WHERE id = $1`, posted).Scan(&state)
		return err == nil && state == "unlinked"
	})
	if c := bob.statusCard(posted); c != nil {
		t.Fatalf("a card with cards off: %v", c)
	}
	if n := news.hitsOf("/kea"); n != 1 {
		t.Fatalf("the page was fetched %d times", n)
	}
}
