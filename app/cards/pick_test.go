package cards

import (
	"slices"
	"testing"
)

// Mentions and hashtags are never a post's link, whichever way they are
// marked; other links are, in order.
func TestCandidateLinks(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, content string
		want          []string
	}{
		{"local post", `<p><span class="h-card" translate="no"><a href="http://a.test/@bob" class="u-url mention">@<span>bob</span></a></span> ` +
			`<a href="http://a.test/tags/kea" class="mention hashtag" rel="tag">#<span>kea</span></a> see ` +
			`<a href="https://news.test/a" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="">news.test/a</span></a>` +
			` and <a href="https://news.test/b">b</a></p>`, []string{"https://news.test/a", "https://news.test/b"}},
		{"rel tag only", `<a rel="Tag" href="https://x.test/tags/a">#a</a><a href="https://x.test/p">p</a>`, []string{"https://x.test/p"}},
		{"inside an h-card without classes on the link", `<span class="h-card"><a href="https://x.test/@u">@u</a></span><a href="https://y.test/">y</a>`, []string{"https://y.test/"}},
		{"nested spans close the h-card", `<span class="h-card"><span>x</span><a href="https://x.test/@u">u</a></span><a href="https://z.test/">z</a>`, []string{"https://z.test/"}},
		{"no href", `<a name="top">top</a>`, nil},
		{"no links", `<p>plain</p>`, nil},
	} {
		if got := candidateLinks(c.content); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"HTTPS://News.Test":                "https://news.test/",
		"https://news.test:443/a?b=c#frag": "https://news.test/a?b=c",
		"http://news.test:80/a":            "http://news.test/a",
		"http://news.test:8080/a":          "http://news.test:8080/a",
		" https://news.test/a ":            "https://news.test/a",
		"https://[::1]:8443/x":             "https://[::1]:8443/x",
		"ftp://news.test/a":                "",
		"javascript:alert(1)":              "",
		"https://user:pw@news.test/":       "",
		"/relative":                        "",
		"https:///nohost":                  "",
	} {
		got, ok := NormalizeURL(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestMediaPath(t *testing.T) {
	t.Parallel()
	if !mediaPath("/system/media/1/original/a.JPG") || !mediaPath("/f.mp4") || mediaPath("/article") || mediaPath("/a.html") {
		t.Fatal("mediaPath")
	}
}
