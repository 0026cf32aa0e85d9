package text

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
)

// tokenListRE matches a space-separated list drawn from words, which is how
// the policy double-checks the class and rel values prepare filtered.
func tokenListRE(words map[string]bool) *regexp.Regexp {
	alts := make([]string, 0, len(words))
	for w := range words {
		alts = append(alts, regexp.QuoteMeta(w))
	}
	alt := "(?:" + strings.Join(alts, "|") + ")"
	return regexp.MustCompile(`^` + alt + `(?: ` + alt + `)*$`)
}

// policy is built once: building compiles regexps and fills maps, and a
// built policy is safe for concurrent use.
var policy = sync.OnceValue(newPolicy)

// newPolicy is the element and attribute allowlist of Mastodon's
// MASTODON_STRICT sanitizer config, plus sup and sub which other servers
// send for footnotes and formulas. Element content outside the list is kept
// as text, except script and style, whose content is code, not text.
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "code", "pre", "blockquote",
		"ul", "ol", "li", "strong", "em", "b", "i", "del", "s", "u",
		"sup", "sub", "ruby", "rt", "rp")

	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("class").Matching(tokenListRE(allowedClasses)).OnElements("a", "span")
	p.AllowAttrs("rel").Matching(tokenListRE(allowedRels)).OnElements("a")
	// target="_blank" is allowed (not just added) so that it stays where
	// Mastodon's markup puts it instead of moving to the end of the tag.
	p.AllowAttrs("target").Matching(regexp.MustCompile(`^_blank$`)).OnElements("a")
	// translate="no" keeps browser translation off names and URLs.
	p.AllowAttrs("translate").Matching(regexp.MustCompile(`^no$`)).OnElements("a", "span")
	p.AllowAttrs("start", "value").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol", "li")
	p.AllowAttrs("reversed").Matching(regexp.MustCompile(`^(?:|reversed)$`)).OnElements("ol")

	p.AllowURLSchemes(linkSchemes...)
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(false)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	// Adding target="_blank" to external links also makes bluemonday add
	// "noopener", completing the rel Mastodon clients expect.
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}
