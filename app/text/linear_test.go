package text

import (
	"strings"
	"testing"
	"time"
)

// TestRenderLinearTime feeds Render 100 KB inputs built to defeat a scanner
// that re-reads text after a failed match or backtracks; each must finish in
// well under a second (a quadratic scan of these takes minutes).
func TestRenderLinearTime(t *testing.T) {
	t.Parallel()
	const size = 100 << 10
	fill := func(unit string) string { return strings.Repeat(unit, size/len(unit)+1)[:size] }
	tests := []struct{ name, in string }{
		{"at signs", fill("@")},
		{"hash signs", fill("#")},
		{"digit tags", fill("#1")},
		{"one long digit run", "#" + fill("1")},
		{"hostless urls", fill("https://./")},
		{"urls with at hosts", "https://" + fill("@")},
		{"open parens in a url", "https://ex.com/" + fill("(")},
		{"close parens after a url", "https://ex.com/" + fill(")")},
		{"trailing dots after a url", "https://ex.com/a" + fill(".")},
		{"dotted username", "@" + fill("a.")},
		{"dotted domain", "@a@" + fill("b.")},
		{"separators in a tag", "#" + fill("a·")},
		{"emails", fill("me@example.com ")},
		{"one giant line", fill("word ")},
		{"realistic", fill("Hi @bob and @alice@example.com, see https://example.com/a/b?c=d#e #Go #café\n")},
		{"blank lines", fill("a\n\n\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			Render(tt.in, testOptions())
			HashtagsInHTML(tt.in)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v on %d bytes", d, len(tt.in))
			}
		})
	}
}
