package text

import (
	"slices"
	"strings"
	"testing"
)

func TestRenderHTML(t *testing.T) {
	t.Parallel()
	bob := mentionHTML("https://local.example/@bob", "bob")
	remoteBob := mentionHTML("https://example.com/@bob", "bob")
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"empty", "", ""},
		{"only whitespace", " \n\n\t \r\n", ""},
		{"one line", "hello", "<p>hello</p>"},
		{"single newline is br", "a\nb", "<p>a<br>b</p>"},
		{"blank line is paragraph", "a\n\nb", "<p>a</p><p>b</p>"},
		{"many blank lines collapse", "a\n\n\n\n\nb", "<p>a</p><p>b</p>"},
		{"whitespace-only line is blank", "a\n  \t\nb", "<p>a</p><p>b</p>"},
		{"crlf", "a\r\nb\r\n\r\nc", "<p>a<br>b</p><p>c</p>"},
		{"lone cr", "a\rb", "<p>a<br>b</p>"},
		{"trimmed", "  \n hi there \n\n", "<p>hi there</p>"},
		{"indent inside kept", "a\n  b", "<p>a<br>  b</p>"},
		{"script escaped", `<script>alert('x')</script>`, "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>"},
		{"ampersand and quote", `Tom & "Jerry"`, "<p>Tom &amp; &#34;Jerry&#34;</p>"},
		{"shortcode untouched", ":blobcat: hi :x:", "<p>:blobcat: hi :x:</p>"},

		{"long link cut at 30", "see https://example.com/long/path/that/goes/on/for/a/while ok",
			`<p>see <a href="https://example.com/long/path/that/goes/on/for/a/while" target="_blank" rel="nofollow noopener noreferrer" translate="no">` +
				`<span class="invisible">https://</span><span class="ellipsis">example.com/long/path/that/goe</span>` +
				`<span class="invisible">s/on/for/a/while</span></a> ok</p>`},
		{"exactly 30 not cut", "https://abcdefghijklmnopqrstuvwxyz.com",
			"<p>" + linkHTML("https://abcdefghijklmnopqrstuvwxyz.com", "https://", "abcdefghijklmnopqrstuvwxyz.com") + "</p>"},
		{"cut counts characters not bytes", "https://ex.com/" + strings.Repeat("é", 24),
			`<p><a href="https://ex.com/` + strings.Repeat("é", 24) + `" target="_blank" rel="nofollow noopener noreferrer" translate="no">` +
				`<span class="invisible">https://</span><span class="ellipsis">ex.com/` + strings.Repeat("é", 23) + `</span>` +
				`<span class="invisible">é</span></a></p>`},
		{"short link", "https://ex.com", "<p>" + linkHTML("https://ex.com", "https://", "ex.com") + "</p>"},
		{"www is hidden", "http://www.ex.com/a", "<p>" + linkHTML("http://www.ex.com/a", "http://www.", "ex.com/a") + "</p>"},
		{"trailing dot", "go to https://ex.com/a.", "<p>go to " + linkHTML("https://ex.com/a", "https://", "ex.com/a") + ".</p>"},
		{"unbalanced paren and dot", "(see https://ex.com/a).", "<p>(see " + linkHTML("https://ex.com/a", "https://", "ex.com/a") + ").</p>"},
		{"balanced paren kept", "(https://ex.com/wiki/Go_(game))",
			"<p>(" + linkHTML("https://ex.com/wiki/Go_(game)", "https://", "ex.com/wiki/Go_(game)") + ")</p>"},
		{"quotes around", `"https://ex.com/a?b=1&c=2"`,
			"<p>&#34;" + linkHTML("https://ex.com/a?b=1&amp;c=2", "https://", "ex.com/a?b=1&amp;c=2") + "&#34;</p>"},
		{"fragment is not a hashtag", "https://ex.com/a#top", "<p>" + linkHTML("https://ex.com/a#top", "https://", "ex.com/a#top") + "</p>"},
		{"mention in url path is not a mention", "https://ex.com/@bob", "<p>" + linkHTML("https://ex.com/@bob", "https://", "ex.com/@bob") + "</p>"},
		{"bare www not linked", "www.ex.com", "<p>www.ex.com</p>"},
		{"scheme inside a word not linked", "xhttps://ex.com", "<p>xhttps://ex.com</p>"},
		{"scheme without host not linked", "https:// and https://...", "<p>https:// and https://...</p>"},
		{"cjk full stop ends url", "https://ex.com/a。次", "<p>" + linkHTML("https://ex.com/a", "https://", "ex.com/a") + "。次</p>"},

		{"local mention", "hi @bob", "<p>hi " + bob + "</p>"},
		{"exact mastodon mention markup", "@bob",
			`<p><span class="h-card" translate="no"><a href="https://local.example/@bob" class="u-url mention">@<span>bob</span></a></span></p>`},
		{"remote mention before full stop", "ask @alice@example.com.",
			"<p>ask " + mentionHTML("https://example.com/@alice", "alice") + ".</p>"},
		{"mention before comma", "@bob, hi", "<p>" + bob + ", hi</p>"},
		{"mention at line start after br", "a\n@bob", "<p>a<br>" + bob + "</p>"},
		{"dotted username", "@bob.smith@ex.social!", "<p>" + mentionHTML("https://ex.social/users/bob.smith", "bob.smith") + "!</p>"},
		{"case-insensitive resolution", "@Alice@Example.COM", "<p>" + mentionHTML("https://example.com/@alice", "alice") + "</p>"},
		{"email is not a mention", "mail me@example.com or x@bob", "<p>mail me@example.com or x@bob</p>"},
		{"mention after equals is not", "a=@bob", "<p>a=@bob</p>"},
		{"unresolved left as typed", "@nobody@nowhere.example and @ghost", "<p>@nobody@nowhere.example and @ghost</p>"},
		{"bare at sign", "@ @. a @", "<p>@ @. a @</p>"},
		{"same username on two servers shows domains", "@bob @bob@example.com",
			"<p>" + mentionHTML("https://local.example/@bob", "bob@local.example") + " " +
				mentionHTML("https://example.com/@bob", "bob@example.com") + "</p>"},
		{"one remote bob shows username only", "@bob@example.com @alice@example.com",
			"<p>" + remoteBob + " " + mentionHTML("https://example.com/@alice", "alice") + "</p>"},

		{"hashtag at line start", "#tag here", "<p>" + tagHTML("tag", "tag") + " here</p>"},
		{"exact mastodon hashtag markup", "#Go",
			`<p><a href="https://local.example/tags/go" class="mention hashtag" rel="tag">#<span>Go</span></a></p>`},
		{"unicode hashtags", "#café #日本語", "<p>" + tagHTML("caf%C3%A9", "café") + " " + tagHTML("%E6%97%A5%E6%9C%AC%E8%AA%9E", "日本語") + "</p>"},
		{"hashtag after punctuation", "(#tag), #tag2!", "<p>(" + tagHTML("tag", "tag") + "), " + tagHTML("tag2", "tag2") + "!</p>"},
		{"hashtag after word char is not", "C# and a#b", "<p>C# and a#b</p>"},
		{"digits only is not a hashtag", "#1 #2024", "<p>#1 #2024</p>"},
		{"underscore inside digits is a hashtag", "#20_24", "<p>" + tagHTML("20_24", "20_24") + "</p>"},
		{"hashtag after slash is not", "ex.com/#top", "<p>ex.com/#top</p>"},
		{"trailing middle dot excluded", "#a·b·", "<p>" + tagHTML("a%C2%B7b", "a·b") + "·</p>"},
		{"full-width hash", "＃タグ", "<p>" + tagHTML("%E3%82%BF%E3%82%B0", "タグ") + "</p>"},

		{"everything together", "@bob see https://ex.com #News\n\n@alice@example.com: ok",
			"<p>" + bob + " see " + linkHTML("https://ex.com", "https://", "ex.com") + " " + tagHTML("news", "News") + "</p>" +
				"<p>" + mentionHTML("https://example.com/@alice", "alice") + ": ok</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Render(tt.in, testOptions()).HTML; got != tt.want {
				t.Errorf("Render(%q).HTML\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestRenderParsed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		opts     RenderOptions
		mentions []string
		hashtags []string
		links    []string
	}{
		{"nothing", "plain words", testOptions(), nil, nil, nil},
		{"short handle gets local domain", "@bob", testOptions(), []string{"bob@local.example"}, nil, nil},
		{"resolver's canonical handle, no repeats", "@BOB @bob @Alice@example.com @alice@EXAMPLE.com", testOptions(),
			[]string{"bob@local.example", "alice@example.com"}, nil, nil},
		{"unresolved not listed", "@ghost @bob", testOptions(), []string{"bob@local.example"}, nil, nil},
		{"no resolver", "@bob", RenderOptions{LocalDomain: testDomain}, nil, nil, nil},
		{"tags lower-cased, deduplicated, in order", "#Go #rust #GO #Café", testOptions(), nil, []string{"go", "rust", "café"}, nil},
		{"composed and decomposed accents are one tag", "#cafe\u0301 #caf\u00e9", testOptions(), nil, []string{"café"}, nil},
		{"tags listed without TagURL", "#go", RenderOptions{}, nil, []string{"go"}, nil},
		{"links in order without repeats", "https://b.ex https://a.ex/x, https://b.ex", testOptions(), nil, nil,
			[]string{"https://b.ex", "https://a.ex/x"}},
		{"fragment and path not mistaken", "https://ex.com/@bob#frag", testOptions(), nil, nil, []string{"https://ex.com/@bob#frag"}},
		{"nothing found inside a url", "https://ex.com/(#x)?u=https://b.example/@bob", testOptions(), nil, nil,
			[]string{"https://ex.com/(#x)?u=https://b.example/@bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Render(tt.in, tt.opts)
			if !slices.Equal(got.Mentions, tt.mentions) {
				t.Errorf("Mentions = %q, want %q", got.Mentions, tt.mentions)
			}
			if !slices.Equal(got.Hashtags, tt.hashtags) {
				t.Errorf("Hashtags = %q, want %q", got.Hashtags, tt.hashtags)
			}
			if !slices.Equal(got.Links, tt.links) {
				t.Errorf("Links = %q, want %q", got.Links, tt.links)
			}
		})
	}
}

func TestRenderResolvesEachHandleOnce(t *testing.T) {
	t.Parallel()
	calls := map[string]int{}
	opts := testOptions()
	resolve := opts.Mention
	opts.Mention = func(h string) (Mention, bool) {
		calls[h]++
		return resolve(h)
	}
	Render("@bob @bob\n\n@bob @ghost @ghost", opts)
	want := map[string]int{"bob@local.example": 1, "ghost@local.example": 1}
	for h, n := range want {
		if calls[h] != n {
			t.Errorf("%s resolved %d times, want %d (all calls: %v)", h, calls[h], n, calls)
		}
	}
}

func TestRenderIgnoresMentionWithoutURL(t *testing.T) {
	t.Parallel()
	opts := RenderOptions{LocalDomain: testDomain, Mention: func(string) (Mention, bool) {
		return Mention{Username: "bob"}, true
	}}
	got := Render("@bob", opts)
	if got.HTML != "<p>@bob</p>" || got.Mentions != nil {
		t.Errorf("Render = %+v, want the text as typed and no mentions", got)
	}
}
