package text

import (
	"slices"
	"testing"
)

func TestHashtagsInHTML(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"none", "<p>hello</p>", nil},
		{"hashtag link", `<a href="https://ex.com/tags/Go" class="mention hashtag" rel="tag">#<span>Go</span></a>`, []string{"go"}},
		{"link without hashtag class is a url", `<a href="https://ex.com/#top">https://ex.com/#top</a>`, nil},
		{"bare words", "<p>#One and #two</p>", []string{"one", "two"}},
		{"deduplicated in order", `<p>#b #A <a class="hashtag" href="https://x/tags/a">#a</a> #B</p>`, []string{"b", "a"}},
		{"unicode", "<p>#Café #日本語</p>", []string{"café", "日本語"}},
		{"not after a word character across tags", "<p>foo<b>#bar</b></p>", nil},
		{"after a paragraph break", "<p>foo</p><p>#bar</p>", []string{"bar"}},
		{"fragment of a bare url skipped", "<p>https://ex.com/page#frag #real</p>", []string{"real"}},
		{"script content ignored", "<script>var x = '#nope'</script>", nil},
		{"mention link ignored", `<a href="https://ex.com/@bob" class="u-url mention">@<span>bob</span></a>`, nil},
		{"malformed hashtag link text ignored", `<a class="hashtag" href="https://x">#a b</a>`, nil},
		{"entities decoded", "<p>&#35;tag</p>", []string{"tag"}},
		{"digits are not tags", "<p>#1 #2024</p>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := HashtagsInHTML(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("HashtagsInHTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
