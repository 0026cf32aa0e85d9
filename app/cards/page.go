package cards

import (
	"bytes"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"pukeko/app/model"
)

// pageMeta is what a page says about itself: its <meta> properties and
// names (the first content of each, keys lower-cased), <title>, <html
// lang> and the oEmbed JSON description it points at.
type pageMeta struct {
	meta   map[string]string
	title  string
	lang   string
	oembed string
}

// readPage reads the metadata of an HTML page, decoded from the charset
// its Content-Type or <meta charset> names.
func readPage(body []byte, contentType string) pageMeta {
	var r io.Reader = bytes.NewReader(body)
	if cr, err := charset.NewReader(r, contentType); err == nil {
		r = cr
	}
	m := pageMeta{meta: map[string]string{}}
	z := html.NewTokenizer(r)
	inTitle, titled := false, false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return m
		case html.TextToken:
			if inTitle {
				m.title += string(z.Text())
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "title" {
				inTitle = false
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			attrs := tagAttrs(z, hasAttr)
			switch string(name) {
			case "html":
				if m.lang == "" {
					m.lang = attrs["lang"]
				}
			case "title":
				// The document's title, not an <svg>'s further down.
				inTitle = !titled && tt == html.StartTagToken
				titled = true
			case "meta":
				key := attrs["property"]
				if key == "" {
					key = attrs["name"]
				}
				key = strings.ToLower(strings.TrimSpace(key))
				if _, seen := m.meta[key]; key != "" && !seen {
					m.meta[key] = attrs["content"]
				}
			case "link":
				if m.oembed == "" && hasToken(attrs["rel"], "alternate") &&
					strings.EqualFold(strings.TrimSpace(attrs["type"]), "application/json+oembed") {
					m.oembed = attrs["href"]
				}
			}
		}
	}
}

// first returns the first of keys the page has a non-blank value for.
func (m pageMeta) first(keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(m.meta[k]); v != "" {
			return v
		}
	}
	return ""
}

// card makes a card of the page's OpenGraph and Twitter-card metadata
// (its <title> and description when those say nothing), as Mastodon
// reads them: a video when the page names a player, else a link. base is
// where the page was found; relative addresses resolve against it.
func (m pageMeta) card(base *url.URL, now time.Time) *model.PreviewCard {
	c := &model.PreviewCard{
		Type:             model.CardLink,
		Title:            cleanText(firstNonBlank(m.first("og:title", "twitter:title"), m.title), maxTitle),
		Description:      cleanText(m.first("og:description", "twitter:description", "description"), maxDescription),
		ImageURL:         resolveURL(base, m.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src")),
		ImageDescription: cleanText(m.first("og:image:alt", "twitter:image:alt"), maxDescription),
		ProviderName:     cleanText(m.first("og:site_name"), maxName),
		Language:         language(firstNonBlank(m.first("og:locale"), m.lang)),
		Published:        publishedAt(m.first("article:published_time"), now),
		EmbedURL:         resolveURL(base, m.first("twitter:player:stream")),
	}
	author := m.first("og:author", "og:author:username", "author", "article:author")
	if resolveURL(nil, author) == "" { // article:author is often a profile's address
		c.AuthorName = cleanText(author, maxName)
	}
	if c.ImageURL != "" {
		c.Width, c.Height = dimension(m.first("og:image:width")), dimension(m.first("og:image:height"))
	}
	if player := resolveURL(base, m.first("twitter:player")); player != "" {
		w, h := dimension(m.first("twitter:player:width")), dimension(m.first("twitter:player:height"))
		if embed := iframe(player, w, h); embed != "" {
			c.Type, c.HTML, c.Width, c.Height = model.CardVideo, embed, w, h
		}
	}
	return c
}

func firstNonBlank(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
