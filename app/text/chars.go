package text

import (
	"unicode"
	"unicode/utf8"
)

// isWord reports whether r is a word character in the sense of the
// [[:word:]] class Mastodon's patterns use: a letter, mark, decimal digit or
// connector punctuation such as '_'. The ASCII fast path matters because
// scanning calls this for nearly every character of a post.
func isWord(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || unicode.Is(unicode.Pc, r)
}

// isAlpha reports whether r is alphabetic ([[:alpha:]]): what a hashtag
// needs at least one of so that "#1" stays a number.
func isAlpha(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

// isASCIISpace reports whether b is HTML whitespace, the only whitespace a
// browser collapses; a no-break space must survive.
func isASCIISpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
}
