package cards

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"pukeko/app/model"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// OpenGraph first, Twitter cards and the document next; every string
// cleaned, addresses resolved against the page.
func TestPageCard(t *testing.T) {
	t.Parallel()
	page := `<!doctype html><html lang="de-AT"><head>
		<title>Document &amp; title</title>
		<meta property="og:title" content="  The   &quot;Kea&quot;
			story ">
		<meta property="og:title" content="second title ignored">
		<meta name="twitter:title" content="twitter title">
		<meta name="description" content="<b>Bold</b> claims &amp;amp; more">
		<meta property="og:image" content="/img/kea.png">
		<meta property="og:image:width" content="640"><meta property="og:image:height" content="-3">
		<meta property="og:image:alt" content="A kea">
		<meta property="og:site_name" content="News&#x202E;Site">
		<meta property="og:locale" content="en_NZ">
		<meta property="article:published_time" content="2026-02-27T08:00:00+13:00">
		<meta name="author" content="Ana Writer">
		<link rel="alternate" type="application/json+oembed" href="/oembed?u=1">
		</head><body><svg><title>not this</title></svg></body></html>`
	m := readPage([]byte(page), "text/html; charset=utf-8")
	c := m.card(mustURL(t, "https://news.test/story/1"), now)
	want := model.PreviewCard{
		Type: model.CardLink, Title: `The "Kea" story`, Description: "Bold claims & more",
		ImageURL: "https://news.test/img/kea.png", ImageDescription: "A kea", Width: 640,
		ProviderName: "NewsSite", Language: "en", AuthorName: "Ana Writer",
	}
	c.Published = nil
	if *c != want {
		t.Fatalf("card\n got %+v\nwant %+v", *c, want)
	}
	if m.oembed != "/oembed?u=1" || m.title != "Document & title" {
		t.Fatalf("oembed %q, title %q", m.oembed, m.title)
	}
	if p := m.card(mustURL(t, "https://news.test/"), now).Published; p == nil || !p.Equal(time.Date(2026, 2, 26, 19, 0, 0, 0, time.UTC)) {
		t.Fatalf("published %v", p)
	}
}

// The <title> and twitter tags stand in when OpenGraph says nothing; the
// page's charset is honoured.
func TestPageCardFallbacks(t *testing.T) {
	t.Parallel()
	page := "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9 news</title>" +
		`<meta name="twitter:description" content="From twitter"><meta name="twitter:image" content="https://cdn.test/i.jpg">` +
		`<meta property="article:author" content="https://news.test/ana">` +
		"</head></html>"
	c := readPage([]byte(page), "text/html").card(mustURL(t, "https://news.test/"), now)
	if c.Title != "Café news" || c.Description != "From twitter" || c.ImageURL != "https://cdn.test/i.jpg" || c.AuthorName != "" {
		t.Fatalf("card %+v", c)
	}
}

// A twitter:player makes a video card whose iframe Pukeko writes itself;
// an http or javascript player makes none.
func TestPageCardPlayer(t *testing.T) {
	t.Parallel()
	page := `<meta property="og:title" content="Clip"><meta name="twitter:player" content="https://player.test/e/1?a=1&amp;b=&quot;2">` +
		`<meta name="twitter:player:width" content="480"><meta name="twitter:player:height" content="270">`
	c := readPage([]byte(page), "text/html").card(mustURL(t, "https://news.test/"), now)
	wantHTML := `<iframe src="https://player.test/e/1?a=1&amp;b=&#34;2" width="480" height="270" frameborder="0" allowfullscreen="true" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"></iframe>`
	if c.Type != model.CardVideo || c.HTML != wantHTML || c.Width != 480 || c.Height != 270 {
		t.Fatalf("card %+v", c)
	}
	for _, player := range []string{"http://player.test/e/1", "javascript:alert(1)"} {
		c := readPage([]byte(`<meta property="og:title" content="Clip"><meta name="twitter:player" content="`+player+`">`), "text/html").
			card(mustURL(t, "https://news.test/"), now)
		if c.Type != model.CardLink || c.HTML != "" {
			t.Errorf("player %s: %+v", player, c)
		}
	}
}

// oEmbed names and embeds win; the html is never kept, only an iframe's
// https address; a rich embed without an iframe leaves the page's card.
func TestOEmbedApply(t *testing.T) {
	t.Parallel()
	base := mustURL(t, "https://news.test/oembed")
	page := func() *model.PreviewCard {
		return &model.PreviewCard{Type: model.CardLink, Title: "Page title", ImageURL: "https://news.test/og.png"}
	}
	c := page()
	(&oEmbed{Type: "video", Title: "Video <i>title</i>", AuthorName: "Ana", AuthorURL: "/ana", ProviderName: "Tube",
		ProviderURL: "https://tube.test", ThumbnailURL: "/thumb.jpg", Width: 640, Height: 360,
		HTML: `<script>alert(1)</script><iframe onload="evil()" src="https://tube.test/embed/1" width="9999"></iframe>`}).apply(c, base)
	if c.Type != model.CardVideo || c.Title != "Video title" || c.AuthorName != "Ana" || c.AuthorURL != "https://news.test/ana" ||
		c.ProviderName != "Tube" || c.ProviderURL != "https://tube.test/" || c.ImageURL != "https://news.test/thumb.jpg" ||
		c.Width != 640 || c.Height != 360 || strings.Contains(c.HTML, "<script") || strings.Contains(c.HTML, "onload") ||
		!strings.HasPrefix(c.HTML, `<iframe src="https://tube.test/embed/1" width="640" height="360" `) {
		t.Fatalf("video: %+v", c)
	}

	c = page()
	(&oEmbed{Type: "rich", HTML: `<blockquote>hi</blockquote><script src="https://evil.test/x.js"></script>`}).apply(c, base)
	if c.Type != model.CardLink || c.HTML != "" || c.Title != "Page title" {
		t.Fatalf("rich without an iframe: %+v", c)
	}

	c = page()
	(&oEmbed{Type: "photo", URL: "https://img.test/p.jpg", Width: 800, Height: 600}).apply(c, base)
	if c.Type != model.CardPhoto || c.EmbedURL != "https://img.test/p.jpg" || c.ImageURL != c.EmbedURL || c.Width != 800 {
		t.Fatalf("photo: %+v", c)
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a\x00b\u202Ec\n\t d":          "abc d",
		"<script>x</script>Title":      "Title",
		"1 < 2":                        "1 < 2",
		"bad \xff utf8":                "bad utf8",
		"family 👨\u200d👩\u200d👧 emoji": "family 👨\u200d👩\u200d👧 emoji",
	} {
		if got := cleanText(in, 100); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanText(strings.Repeat("ä", 10), 4); got != "ää\u00e4ä" {
		t.Errorf("truncated: %q", got)
	}
}
