package text

import "testing"

func TestSanitize(t *testing.T) {
	t.Parallel()
	const rel = `rel="nofollow noreferrer noopener" target="_blank"`
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"plain paragraph", "<p>hello</p>", "<p>hello</p>"},
		{"script and style removed with content",
			"<p>Hi <script>alert(1)</script><style>p{color:red}</style>there</p>", "<p>Hi there</p>"},
		{"script in svg removed", "<svg><script>alert(1)</script></svg>ok", "ok"},
		{"event handler and style attributes removed", `<p onclick="x()" style="color:red">a</p>`, "<p>a</p>"},
		{"javascript href dropped, text kept", `<a href="javascript:alert(1)">click</a>`, "click"},
		{"obfuscated javascript href dropped", `<a href="java&#x09;script:alert(1)">click</a>`, "click"},
		{"data href dropped, text kept", `<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>`, "d"},
		{"vbscript href dropped", `<a href="vbscript:msgbox(1)">v</a>`, "v"},
		{"relative href dropped", `<a href="/@bob">r</a>`, "r"},
		{"protocol-relative href dropped", `<a href="//evil.example/x">p</a>`, "p"},
		{"link without href dropped", `<a class="mention">x</a>`, "x"},
		{"mailto kept without target", `<a href="mailto:me@example.com">m</a>`,
			`<a href="mailto:me@example.com" rel="nofollow noreferrer">m</a>`},
		{"rel forced", `<a href="https://ex.com">x</a>`, `<a href="https://ex.com" ` + rel + `>x</a>`},
		{"unknown rel dropped", `<a href="https://ex.com" rel="opener me">x</a>`,
			`<a href="https://ex.com" rel="me nofollow noreferrer noopener" target="_blank">x</a>`},
		{"other target replaced", `<a href="https://ex.com" target="_top">x</a>`, `<a href="https://ex.com" ` + rel + `>x</a>`},
		{"img removed", `<p>a<img src="https://ex.com/i.png" alt="q">b</p>`, "<p>ab</p>"},
		{"iframe removed with content", `<iframe src="https://ex.com">in</iframe>ok`, "ok"},
		{"nested allowed tags kept",
			"<blockquote><p><strong><em>x</em></strong> <code>y</code></p></blockquote><pre><code>z</code></pre>",
			"<blockquote><p><strong><em>x</em></strong> <code>y</code></p></blockquote><pre><code>z</code></pre>"},
		{"lists kept with numbering", `<ol start="3" reversed><li value="4">a</li></ol><ul><li>b</li></ul>`,
			`<ol start="3" reversed=""><li value="4">a</li></ol><ul><li>b</li></ul>`},
		{"bad list numbering dropped", `<ol start="x"><li value="-1">a</li></ol>`, "<ol><li>a</li></ol>"},
		{"inline formatting kept", "<b>b</b><i>i</i><u>u</u><s>s</s><del>d</del><sup>1</sup><sub>2</sub>",
			"<b>b</b><i>i</i><u>u</u><s>s</s><del>d</del><sup>1</sup><sub>2</sub>"},
		{"unknown classes removed", `<span class="h-card foo Mention">x</span><span class="bar">y</span>`,
			`<span class="h-card">x</span><span>y</span>`},
		{"link classes filtered", `<a href="https://ex.com" class="evil mention u-url">x</a>`,
			`<a href="https://ex.com" class="mention u-url" ` + rel + `>x</a>`},
		{"class on other elements removed", `<p class="invisible">x</p>`, "<p>x</p>"},
		{"translate only no", `<span translate="yes">a</span><span translate="no">b</span>`,
			`<span>a</span><span translate="no">b</span>`},
		{"headings become bold paragraphs", "<h1>Title</h1><p>body</p>", "<p><strong>Title</strong></p><p>body</p>"},
		{"stripped blocks keep words apart", "<div>a</div><div>b</div>", " a  b "},
		{"other elements stripped, text kept", "<font color=red>x</font><table><tr><td>y</td></tr></table>", "x   y   "},
		{"comments removed", "a<!-- secret -->b", "ab"},
		{"text re-escaped", "<p>x &amp; &lt;b&gt;</p>", "<p>x &amp; &lt;b&gt;</p>"},
		{"odd attribute name dropped", `<a href="https://ex.com" x"=y>q</a>`, `<a href="https://ex.com" ` + rel + `>q</a>`},

		{"mastodon mention survives",
			`<span class="h-card" translate="no"><a href="https://ex.com/@bob" class="u-url mention">@<span>bob</span></a></span>`,
			`<span class="h-card" translate="no"><a href="https://ex.com/@bob" class="u-url mention" ` + rel + `>@<span>bob</span></a></span>`},
		{"mastodon hashtag survives",
			`<a href="https://ex.com/tags/go" class="mention hashtag" rel="tag">#<span>go</span></a>`,
			`<a href="https://ex.com/tags/go" class="mention hashtag" rel="tag nofollow noreferrer noopener" target="_blank">#<span>go</span></a>`},
		{"mastodon link survives",
			`<a href="https://example.com/long/path" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="ellipsis">example.com/long/pa</span><span class="invisible">th</span></a>`,
			`<a href="https://example.com/long/path" target="_blank" rel="nofollow noopener noreferrer" translate="no"><span class="invisible">https://</span><span class="ellipsis">example.com/long/pa</span><span class="invisible">th</span></a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestSanitizeKeepsRenderedLinks checks that Render's link markup is already
// what Sanitize would make of it, so local and remote posts look alike.
func TestSanitizeKeepsRenderedLinks(t *testing.T) {
	t.Parallel()
	tests := []string{
		"https://ex.com",
		"see https://example.com/a/rather/long/path/indeed?q=1&r=2 now",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			html := Render(in, RenderOptions{}).HTML
			if got := Sanitize(html); got != html {
				t.Errorf("Sanitize(Render(%q))\n got %s\nwant %s", in, got, html)
			}
		})
	}
}
