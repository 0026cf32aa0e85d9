package text

import (
	"net/url"
	"strings"
)

// testDomain is the author's domain in Render tests.
const testDomain = "local.example"

// testAccounts are the accounts the test resolver knows, by lower-cased
// handle.
var testAccounts = map[string]Mention{
	"bob@local.example":   {Username: "bob", Domain: "local.example", URL: "https://local.example/@bob"},
	"bob@example.com":     {Username: "bob", Domain: "example.com", URL: "https://example.com/@bob"},
	"alice@example.com":   {Username: "alice", Domain: "example.com", URL: "https://example.com/@alice"},
	"bob.smith@ex.social": {Username: "bob.smith", Domain: "ex.social", URL: "https://ex.social/users/bob.smith"},
}

// testOptions resolves testAccounts case-insensitively, as a database would,
// and links tags under local.example.
func testOptions() RenderOptions {
	return RenderOptions{
		LocalDomain: testDomain,
		TagURL:      func(tag string) string { return "https://local.example/tags/" + url.PathEscape(tag) },
		Mention: func(handle string) (Mention, bool) {
			m, ok := testAccounts[strings.ToLower(handle)]
			return m, ok
		},
	}
}

// mentionHTML is Mastodon's h-card markup for a mention.
func mentionHTML(href, shown string) string {
	return `<span class="h-card" translate="no"><a href="` + href + `" class="u-url mention">@<span>` + shown + `</span></a></span>`
}

// tagHTML is Mastodon's markup for a hashtag link.
func tagHTML(path, shown string) string {
	return `<a href="https://local.example/tags/` + path + `" class="mention hashtag" rel="tag">#<span>` + shown + `</span></a>`
}

// linkHTML is the markup of a URL short enough to show whole.
func linkHTML(href, prefix, shown string) string {
	return `<a href="` + href + `" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">` +
		prefix + `</span><span>` + shown + `</span><span class="invisible"></span></a>`
}
