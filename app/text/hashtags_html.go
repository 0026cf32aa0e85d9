package text

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// HashtagsInHTML extracts hashtags from remote HTML for indexing: the text of
// links with class "hashtag", and #words in text outside links, by the same
// rules as Render. Text inside other links is skipped because it is a URL or
// a mention, whose "#fragment" is no tag. Tags are normalised and
// lower-cased, in order, without repeats.
func HashtagsInHTML(src string) []string {
	z := html.NewTokenizer(strings.NewReader(src))
	var tags orderedSet
	var link strings.Builder // text of the hashtag link being read
	inLink, tagLink := false, false
	skip := 0
	var prev rune // last character of text, for the word-boundary rule
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tags.items
		case html.TextToken:
			t := string(z.Text())
			switch {
			case skip > 0:
			case tagLink:
				link.WriteString(t)
			case !inLink:
				prev = scanHashtags(t, prev, &tags)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch n := string(name); n {
			case "script", "style":
				skip++
			case "a":
				inLink, tagLink = true, hasAttr && hasHashtagClass(z)
				link.Reset()
			default:
				if lineBreaks[n] > 0 {
					prev = 0
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch n := string(name); n {
			case "script", "style":
				skip = max(skip-1, 0)
			case "a":
				if tagLink {
					addLinkTag(link.String(), &tags)
				}
				inLink, tagLink = false, false
			default:
				if lineBreaks[n] > 0 {
					prev = 0
				}
			}
		}
	}
}

// hasHashtagClass reports whether the current tag's class list has
// "hashtag"; it consumes the tag's attributes.
func hasHashtagClass(z *html.Tokenizer) bool {
	for {
		k, v, more := z.TagAttr()
		if string(k) == "class" {
			for c := range strings.FieldsSeq(string(v)) {
				if c == "hashtag" {
					return true
				}
			}
		}
		if !more {
			return false
		}
	}
}

// addLinkTag adds the tag a hashtag link shows, such as "#Go", if the text
// is a well-formed tag and nothing else.
func addLinkTag(text string, tags *orderedSet) {
	text = strings.TrimSpace(text)
	n := hashSignLen(text)
	if n == 0 {
		return
	}
	name := text[n:]
	if l := tagNameLen(name); l > 0 && l == len(name) {
		tags.add(normalizeTag(name))
	}
}

// scanHashtags adds the hashtags of a text run whose preceding character is
// prev, and returns the run's last character to carry on from. URLs are
// scanned too, only so that their fragments are not taken for tags.
func scanHashtags(s string, prev rune, tags *orderedSet) rune {
	for _, e := range scanText(s, prev) {
		if e.kind == entityHashtag {
			tags.add(normalizeTag(e.text))
		}
	}
	if r, _ := utf8.DecodeLastRuneInString(s); s != "" {
		return r
	}
	return prev
}
