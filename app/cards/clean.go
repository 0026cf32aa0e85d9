package cards

import (
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pukeko/app/text"
)

// Longest strings kept, in characters.
const (
	maxTitle       = 300
	maxDescription = 1000
	maxName        = 200
)

// markup is what a string holding HTML tags looks like.
var markup = regexp.MustCompile(`<[a-zA-Z/!]`)

// cleanText makes plain text of what a page says about itself: valid
// UTF-8, tags dropped, no control or direction-override characters,
// whitespace collapsed, at most max characters.
func cleanText(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	if markup.MatchString(s) {
		s = text.PlainText(s)
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r), r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max]))
	}
	return s
}

// language is the ISO 639 code of a locale or language tag ("en_US",
// "pt-BR", "de"), or "".
var languageCode = regexp.MustCompile(`^[a-z]{2,3}$`)

func language(tag string) string {
	primary, _, _ := strings.Cut(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"), "-")
	primary = strings.ToLower(primary)
	if !languageCode.MatchString(primary) {
		return ""
	}
	return primary
}

// dimension reads a width or height: a whole number of pixels up to
// 10,000, else 0.
func dimension(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 10000 {
		return 0
	}
	return n
}

// publishedAt reads a publication time (RFC 3339, or a date), nil when
// there is none that makes sense.
func publishedAt(s string, now time.Time) *time.Time {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 || t.After(now.Add(24*time.Hour)) {
				return nil
			}
			t = t.UTC()
			return &t
		}
	}
	return nil
}

// iframe is the only HTML a card carries: an embed Pukeko writes itself,
// from an https address and dimensions, sandboxed, whatever the page or
// its oEmbed sent.
func iframe(src string, width, height int) string {
	if !strings.HasPrefix(src, "https://") {
		return ""
	}
	size := ""
	if width > 0 {
		size += fmt.Sprintf(` width="%d"`, width)
	}
	if height > 0 {
		size += fmt.Sprintf(` height="%d"`, height)
	}
	return `<iframe src="` + html.EscapeString(src) + `"` + size +
		` frameborder="0" allowfullscreen="true" sandbox="allow-scripts allow-same-origin allow-popups allow-presentation"></iframe>`
}
