package text

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// blockElements are stripped elements whose boundaries separate words; a
// space stands in for each so that "<div>a</div><div>b</div>" reads "a b",
// as it would in a browser, not "ab".
var blockElements = map[string]bool{
	"div": true, "section": true, "article": true, "header": true, "footer": true,
	"aside": true, "nav": true, "main": true, "figure": true, "figcaption": true,
	"table": true, "tr": true, "td": true, "th": true, "dl": true, "dt": true,
	"dd": true, "hr": true, "address": true, "details": true, "summary": true,
}

// isHeading reports whether name is h1 to h6.
func isHeading(name string) bool {
	return len(name) == 2 && name[0] == 'h' && '1' <= name[1] && name[1] <= '6'
}

// prepare does what a bluemonday policy cannot express, before the policy
// runs: it filters class and rel values token by token (bluemonday only
// accepts or drops a whole attribute), strips every attribute from a link
// whose href is missing or unsafe so the policy drops the <a> and keeps its
// text (as Mastodon does), turns headings into a bold paragraph (as Mastodon
// does, since clients do not style headings), and puts spaces where stripped
// block elements were. Its output is not trusted: the policy still enforces
// everything afterwards.
func prepare(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	b.Grow(len(src))
	var raw []byte
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		// TagName lower-cases the token in place, so Raw is copied first.
		raw = append(raw[:0], z.Raw()...)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch n := string(name); {
			case isHeading(n):
				b.WriteString("<p><strong>")
			case blockElements[n]:
				b.WriteString(" ")
			case hasAttr && (n == "a" || n == "span"):
				writeStartTag(&b, z, n, tt == html.SelfClosingTagToken)
			default:
				b.Write(raw)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch n := string(name); {
			case isHeading(n):
				b.WriteString("</strong></p>")
			case blockElements[n]:
				b.WriteString(" ")
			default:
				b.Write(raw)
			}
		default:
			b.Write(raw)
		}
	}
}

// writeStartTag rewrites an <a> or <span> start tag with its class and rel
// filtered and, for a link without a safe href, with no attributes at all.
func writeStartTag(b *strings.Builder, z *html.Tokenizer, name string, selfClosing bool) {
	var attrs []html.Attribute
	safeLink := false
	for {
		k, v, more := z.TagAttr()
		key, val := string(k), string(v)
		switch {
		case !plainAttrName(key):
			// Dropped here so that a name with quotes or '<' in it cannot
			// re-tokenize differently once written back out.
			key = ""
		case key == "class":
			val = filterTokens(val, allowedClasses)
		case key == "rel":
			val = filterTokens(strings.ToLower(val), allowedRels)
		case key == "href":
			safeLink = safeHref(val)
		}
		if key != "" && (val != "" || (key != "class" && key != "rel")) {
			attrs = append(attrs, html.Attribute{Key: key, Val: val})
		}
		if !more {
			break
		}
	}
	if name == "a" && !safeLink {
		attrs = nil
	}
	b.WriteString("<" + name)
	for _, a := range attrs {
		b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
	}
	if selfClosing {
		b.WriteString("/")
	}
	b.WriteString(">")
}

// plainAttrName reports whether an attribute name is made of the letters,
// digits, '-', '_' and ':' that real attribute names use.
func plainAttrName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == ':') {
			return false
		}
	}
	return true
}

// safeHref reports whether a link may be kept: an absolute http or https URL
// with a host, or a mailto address. Relative links are dropped because they
// would resolve against this server, not the one that wrote them.
func safeHref(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}
