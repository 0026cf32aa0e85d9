package text

import (
	"strings"
	"testing"
)

// benchPost is a 500-character post with a link, two mentions and two
// hashtags, the shape of a typical long-ish toot.
var benchPost = func() string {
	s := "Good morning @bob and @alice@example.com! I wrote up how we moved the " +
		"build to the new runners: https://example.com/blog/2024/moving-ci-runners?ref=fedi " +
		"It took longer than planned, mostly because of caching.\n\n" +
		"Questions welcome. #DevOps #café\n\n"
	for len(s) < 500 {
		s += "More words about the build, the cache, and the tests. "
	}
	return s[:500]
}()

// benchRemote is a 5 KB remote post in Mastodon's markup with some junk a
// sanitizer has to remove.
var benchRemote = func() string {
	para := `<p><span class="h-card" translate="no"><a href="https://ex.com/@bob" class="u-url mention">@<span>bob</span></a></span> ` +
		`read <a href="https://example.com/long/path" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span>` +
		`<span class="ellipsis">example.com/long/pa</span><span class="invisible">th</span></a> ` +
		`<a href="https://ex.com/tags/go" class="mention hashtag" rel="tag">#<span>go</span></a> ` +
		`<strong style="color:red" onclick="x()">bold</strong> <img src="https://ex.com/i.png"> <script>alert(1)</script>text &amp; more text</p>`
	return strings.Repeat(para, 5<<10/len(para)+1)[:5<<10]
}()

func BenchmarkRender(b *testing.B) {
	opts := testOptions()
	b.SetBytes(int64(len(benchPost)))
	for b.Loop() {
		Render(benchPost, opts)
	}
}

func BenchmarkSanitize(b *testing.B) {
	b.SetBytes(int64(len(benchRemote)))
	for b.Loop() {
		Sanitize(benchRemote)
	}
}
