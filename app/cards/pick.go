package cards

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// mentionClass marks the microformat links of mentions and hashtags, as
// Mastodon and most fediverse software write them.
var mentionClass = regexp.MustCompile(`(^|\s)(u-url|h-card|mention|hashtag)(\s|$)`)

// candidateLinks lists the hrefs of the links of a post's HTML that may
// be its card, in order: every <a> but those that are mentions or
// hashtags (rel="tag", a microformat class, or inside an h-card).
func candidateLinks(content string) []string {
	z := html.NewTokenizer(strings.NewReader(content))
	var out []string
	spans, hcard := 0, -1 // open spans, and the depth of the h-card one
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			attrs := tagAttrs(z, hasAttr)
			switch string(name) {
			case "span":
				if tt == html.SelfClosingTagToken {
					continue
				}
				spans++
				if hcard < 0 && mentionClass.MatchString(attrs["class"]) {
					hcard = spans
				}
			case "a":
				href := strings.TrimSpace(attrs["href"])
				if href == "" || hcard >= 0 || mentionClass.MatchString(attrs["class"]) ||
					hasToken(attrs["rel"], "tag") {
					continue
				}
				out = append(out, href)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "span" && spans > 0 {
				if spans == hcard {
					hcard = -1
				}
				spans--
			}
		}
	}
}

// hasToken reports whether a space-separated list holds tok (any case).
func hasToken(list, tok string) bool {
	for _, t := range strings.Fields(list) {
		if strings.EqualFold(t, tok) {
			return true
		}
	}
	return false
}
