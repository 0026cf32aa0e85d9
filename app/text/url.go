package text

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// schemeLen returns the length of an "http://" or "https://" prefix of s,
// in any case, or 0. Only these schemes are linkified: a bare "www." is
// left alone, as Mastodon does.
func schemeLen(s string) int {
	for _, p := range [...]string{"https://", "http://"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// endsURL reports whether r cannot be part of a URL typed in running text:
// whitespace and controls, the characters RFC 3986 excludes that people use
// as delimiters, and the CJK punctuation that Japanese and Chinese posts put
// right after a link without a space.
func endsURL(r rune) bool {
	switch r {
	case '<', '>', '"', '`', '\u200B', '\uFEFF',
		'。', '、', '，', '！', '？', '：', '；',
		'「', '」', '『', '』', '（', '）', '【', '】', '〈', '〉', '《', '》':
		return true
	}
	return unicode.IsSpace(r) || unicode.IsControl(r)
}

// trailingPunct holds what ends a sentence rather than a URL; a link typed
// before a full stop or inside quotes must not swallow it.
const trailingPunct = ".,:;!?'\"*…"

// scanURL reads the URL starting at line[at], reporting false when there is
// no scheme or no host. It runs in one pass: the host is read first so
// that a failed attempt costs only as much as its host, which has no letters
// that could start another attempt; then the path; then sentence
// punctuation and unbalanced closing brackets are given back.
func scanURL(line string, at int) (entity, bool) {
	n := schemeLen(line[at:])
	if n == 0 {
		return entity{}, false
	}
	hostStart := at + n
	end := hostStart
	hasHost := false
	for end < len(line) {
		r, size := utf8.DecodeRuneInString(line[end:])
		if endsURL(r) || r == '/' || r == '?' || r == '#' {
			break
		}
		hasHost = hasHost || unicode.IsLetter(r) || unicode.IsDigit(r)
		end += size
	}
	if !hasHost {
		return entity{}, false
	}
	// parens and squares count unclosed brackets: below zero means the text
	// closed one the URL never opened, like the ")" in "(see https://ex.com/a)",
	// while "https://en.wikipedia.org/wiki/Go_(game)" keeps its own.
	var parens, squares int
	for end < len(line) {
		r, size := utf8.DecodeRuneInString(line[end:])
		if endsURL(r) {
			break
		}
		switch r {
		case '(':
			parens++
		case ')':
			parens--
		case '[':
			squares++
		case ']':
			squares--
		}
		end += size
	}
	for end > hostStart {
		r, size := utf8.DecodeLastRuneInString(line[:end])
		switch {
		case strings.ContainsRune(trailingPunct, r):
		case r == ')' && parens < 0:
			parens++
		case r == ']' && squares < 0:
			squares++
		default:
			return entity{kind: entityURL, start: at, end: end, text: line[at:end]}, true
		}
		end -= size
	}
	return entity{}, false
}
