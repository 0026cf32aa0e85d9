package text

import (
	"strings"

	"golang.org/x/net/html"
)

// lineBreaks says how many newlines a block element's start or end (or a
// <br>) puts between the text before and after it. A paragraph gets a blank
// line so that Render of the result gives the same paragraphs back.
var lineBreaks = map[string]int{
	"br": 1, "p": 2, "li": 1, "blockquote": 1, "pre": 1, "div": 1, "tr": 1,
	"h1": 1, "h2": 1, "h3": 1, "h4": 1, "h5": 1, "h6": 1, "ul": 1, "ol": 1,
}

// PlainText returns the text content of HTML, for search, notifications and
// summaries: tags removed, <br> a newline and the end of a paragraph a blank
// line, entities decoded. Whitespace is collapsed as a browser would, except
// inside <pre>; script and style content is dropped.
func PlainText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var w plainWriter
	skip, pre := 0, 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()), pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "pre":
				pre++
			}
			w.newlines(lineBreaks[string(name)])
		case html.EndTagToken:
			name, _ := z.TagName()
			n := string(name)
			switch n {
			case "script", "style":
				skip = max(skip-1, 0)
			case "pre":
				pre = max(pre-1, 0)
			}
			w.newlines(lineBreaks[n])
		}
	}
}

// plainWriter builds plain text, collapsing whitespace and capping line
// breaks so that the blank lines between paragraphs never pile up.
type plainWriter struct {
	b            strings.Builder
	pendingSpace bool
	newlineRun   int // newlines at the end of b
}

// text appends decoded text, collapsing runs of HTML whitespace to one space
// unless preformatted.
func (w *plainWriter) text(s string, preformatted bool) {
	for _, r := range s {
		if !preformatted && isASCIISpace(r) {
			w.pendingSpace = true
			continue
		}
		if w.pendingSpace && w.newlineRun == 0 && w.b.Len() > 0 {
			w.b.WriteByte(' ')
		}
		w.pendingSpace = false
		w.b.WriteRune(r)
		if r == '\n' {
			w.newlineRun++
		} else {
			w.newlineRun = 0
		}
	}
}

// newlines ends the current line with n newlines in all, counting those
// already there, and none at the very start.
func (w *plainWriter) newlines(n int) {
	if n == 0 {
		return // an inline tag: a pending space still separates words
	}
	w.pendingSpace = false
	if w.b.Len() == 0 {
		return
	}
	for ; w.newlineRun < n; w.newlineRun++ {
		w.b.WriteByte('\n')
	}
}

// String returns the text without trailing line breaks.
func (w *plainWriter) String() string {
	return strings.TrimRight(w.b.String(), "\n ")
}
