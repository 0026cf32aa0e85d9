package mastodon_test

import (
	"strings"
	"testing"
)

// Pages that make no card: not HTML, larger than cards.max_page_size,
// without a title, missing, or on an address the server may not reach.
// Each card ends failed, the post is shown whole with card null, and a
// forbidden address is never even asked.
func TestPreviewCardRefusals(t *testing.T) {
	t.Parallel()
	news := newSite(t)
	news.page("/report.pdf", "application/pdf", "%PDF-1.4 not a page")
	news.page("/huge", "text/html", ogPage("Huge", strings.Repeat("x", 4096), ""))
	news.page("/untitled", "text/html", "<html><body><p>no title at all</p></body></html>")
	news.page("/ok", "text/html", ogPage("Fine", "", ""))
	s := startServer(t, "a.test", map[string]string{"news.test": news.addr()}, "PUKEKO_CARDS_MAX_PAGE_SIZE=2KiB")
	alice := s.user("alice", "")

	// The node does make cards: the refusals below are the pages' doing.
	ok := alice.compose("fine http://news.test/ok", nil)["id"].(string)
	if cardState(t, s, "http://news.test/ok") != "fetched" {
		t.Fatal("the control page made no card")
	}
	eventually(t, "the control card", func() bool { return alice.statusCard(ok) != nil })

	for _, path := range []string{"/report.pdf", "/huge", "/untitled", "/missing"} {
		link := "http://news.test" + path
		id := alice.compose("see "+link, nil)["id"].(string)
		if got := cardState(t, s, link); got != "failed" {
			t.Fatalf("%s: card %s, want failed", path, got)
		}
		var st map[string]any
		alice.json("GET", "/api/v1/statuses/"+id, nil, &st)
		if st["card"] != nil || !strings.Contains(st["content"].(string), `href="`+link+`"`) {
			t.Fatalf("%s: status %v", path, st)
		}
		if news.hitsOf(path) != 1 {
			t.Fatalf("%s asked %d times", path, news.hitsOf(path))
		}
	}

	// A server that may not reach private addresses never asks the page.
	p := startServer(t, "p.test", map[string]string{"news.test": news.addr()}, "PUKEKO_FEDERATION_ALLOW_PRIVATE_ADDRESSES=false")
	bob := p.user("bob", "")
	id := bob.compose("see http://news.test/ok", nil)["id"].(string)
	if got := cardState(t, p, "http://news.test/ok"); got != "failed" {
		t.Fatalf("private address: card %s, want failed", got)
	}
	if c := bob.statusCard(id); c != nil {
		t.Fatalf("private address: card %v", c)
	}
	if n := news.hitsOf("/ok"); n != 1 {
		t.Fatalf("the page was asked %d times, want once (by a.test only)", n)
	}
	var timeline []map[string]any
	p.anonymous().json("GET", "/api/v1/timelines/public", nil, &timeline)
	if len(timeline) != 1 || timeline[0]["id"] != id {
		t.Fatalf("the post is not in the public timeline: %v", timeline)
	}
}
