package text

import "testing"

func TestPlainText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"text only", "hello", "hello"},
		{"tags removed", "<p>Hello <b>world</b></p>", "Hello world"},
		{"br is newline", "<p>a<br>b<br/>c</p>", "a\nb\nc"},
		{"paragraphs are blank-line separated", "<p>a</p><p>b</p>", "a\n\nb"},
		{"source newlines between paragraphs ignored", "<p>a</p>\n\n\n<p>b</p>\n", "a\n\nb"},
		{"whitespace collapsed", "<p>a   b\n\tc</p>", "a b c"},
		{"entities decoded", "<p>Tom &amp; &lt;Jerry&gt; &#39;x&#39; &eacute;</p>", "Tom & <Jerry> 'x' é"},
		{"no-break space kept", "a&nbsp;&nbsp;b", "a\u00a0\u00a0b"},
		{"script and style dropped", "<p>a<script>x()</script><style>p{}</style>b</p>", "ab"},
		{"pre keeps its layout", "<pre>a\n  b</pre><p>c</p>", "a\n  b\n\nc"},
		{"text before a paragraph is its own line", "a<p>b</p>c", "a\n\nb\n\nc"},
		{"list items on lines", "<ul><li>a</li><li>b</li></ul>", "a\nb"},
		{"mastodon link gives the full url",
			`<p>see <a href="https://ex.com/long/path"><span class="invisible">https://</span><span class="ellipsis">ex.com/long/pa</span><span class="invisible">th</span></a></p>`,
			"see https://ex.com/long/path"},
		{"mention keeps its at sign",
			`<span class="h-card"><a href="https://ex.com/@bob" class="u-url mention">@<span>bob</span></a></span> hi`, "@bob hi"},
		{"leading and trailing breaks trimmed", "<br><p></p><p>a</p><br><br>", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestPlainTextRoundTrip checks that rendering the plain text of a rendered
// post gives the same paragraphs and line breaks back.
func TestPlainTextRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []string{
		"one",
		"a\nb\n\nc",
		"x < y & z\n\nhttps://example.com/a/long/enough/path/to/be/cut/off",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := PlainText(Render(in, RenderOptions{}).HTML); got != in {
				t.Errorf("PlainText(Render(%q)) = %q", in, got)
			}
		})
	}
}
