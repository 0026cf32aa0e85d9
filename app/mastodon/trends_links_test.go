package mastodon_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Trending links: the cards most distinct accounts shared in public posts
// lately (private posts and posts behind a content warning do not count),
// at least two accounts each, with a week of history, paged by offset;
// and the link timeline of a trending link, newest first with Link-header
// paging, without accounts that opted out of discovery, 404 for a link
// that is not trending.
func TestTrendingLinksAndLinkTimeline(t *testing.T) {
	t.Parallel()
	news := newSite(t)
	news.page("/hot", "text/html", ogPage("Hot story", "Everyone shares it", "/hot.png"))
	news.page("/hot.png", "image/png", smallPNG(t))
	news.page("/warm", "text/html", ogPage("Warm story", "", ""))
	news.page("/cold", "text/html", ogPage("Cold story", "", ""))
	s := startServer(t, "a.test", map[string]string{"news.test": news.addr()})
	alice, bob, carol, dave := s.user("alice", ""), s.user("bob", ""), s.user("carol", ""), s.user("dave", "")

	var hot []string
	hot = append(hot, alice.compose("http://news.test/hot", nil)["id"].(string))
	hot = append(hot, bob.compose("read http://news.test/hot", nil)["id"].(string))
	hot = append(hot, carol.compose("so good http://news.test/hot", nil)["id"].(string))
	hot = append(hot, alice.compose("again http://news.test/hot", nil)["id"].(string))
	alice.compose("http://news.test/warm", nil)
	dave.compose("http://news.test/warm", nil)
	carol.compose("http://news.test/cold", nil)
	bob.compose("http://news.test/cold", map[string]any{"visibility": "private"})
	dave.compose("http://news.test/cold", map[string]any{"spoiler_text": "spoilers"})

	var links []map[string]any
	eventually(t, "two trending links", func() bool {
		s.anonymous().json("GET", "/api/v1/trends/links", nil, &links)
		return len(links) == 2
	})
	if links[0]["url"] != "http://news.test/hot" || links[1]["url"] != "http://news.test/warm" {
		t.Fatalf("trending links: %v", links)
	}
	history := links[0]["history"].([]any)
	today := history[0].(map[string]any)
	if len(history) != 7 || today["uses"] != "4" || today["accounts"] != "3" || history[1].(map[string]any)["uses"] != "0" {
		t.Fatalf("history of the hot link: %v", history)
	}
	if img, _ := links[0]["image"].(string); !strings.HasPrefix(img, "http://a.test/proxy/") || links[0]["title"] != "Hot story" {
		t.Fatalf("hot link: %v", links[0])
	}
	resp, body := s.anonymous().request("GET", "/api/v1/trends/links?limit=1&offset=1", nil, nil)
	if got := fieldOf(t, body, "url"); !slices.Equal(got, []string{"http://news.test/warm"}) {
		t.Fatalf("second page: %s", body)
	}
	if linkQuery(t, resp.Header.Get("Link"), "prev", "offset") != "0" {
		t.Fatalf("Link: %s", resp.Header.Get("Link"))
	}

	timeline := "/api/v1/timelines/link?url=" + url.QueryEscape("http://news.test/hot")
	_, body = s.anonymous().request("GET", timeline, nil, nil)
	if got := statusIDs(t, body); !slices.Equal(got, []string{hot[3], hot[2], hot[1], hot[0]}) {
		t.Fatalf("link timeline: %v, want %v", got, hot)
	}
	resp, body = alice.request("GET", timeline+"&limit=2", nil, nil)
	if got := statusIDs(t, body); !slices.Equal(got, []string{hot[3], hot[2]}) {
		t.Fatalf("first page: %v", got)
	}
	maxID := linkQuery(t, resp.Header.Get("Link"), "next", "max_id")
	_, body = alice.request("GET", timeline+"&limit=2&max_id="+maxID, nil, nil)
	if got := statusIDs(t, body); !slices.Equal(got, []string{hot[1], hot[0]}) {
		t.Fatalf("next page: %v", got)
	}
	// The same URL written differently finds the same card.
	_, body = s.anonymous().request("GET", "/api/v1/timelines/link?url="+url.QueryEscape("HTTP://News.Test/hot#x"), nil, nil)
	if got := statusIDs(t, body); len(got) != 4 {
		t.Fatalf("normalized URL: %v", got)
	}
	// An account that opts out of discovery leaves the link timeline.
	bob.json("PATCH", "/api/v1/accounts/update_credentials", url.Values{"discoverable": {"false"}}, nil)
	_, body = s.anonymous().request("GET", timeline, nil, nil)
	if got := statusIDs(t, body); !slices.Equal(got, []string{hot[3], hot[2], hot[0]}) {
		t.Fatalf("without bob: %v", got)
	}

	for _, q := range []string{"?url=" + url.QueryEscape("http://news.test/cold"), "?url=" + url.QueryEscape("http://news.test/never"), ""} {
		if status, body := s.anonymous().do("GET", "/api/v1/timelines/link"+q, nil); status != http.StatusNotFound {
			t.Fatalf("link timeline%s: %d %s", q, status, body)
		}
	}
}
