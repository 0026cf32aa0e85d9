package text

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fullwidthHash is U+FF03, which CJK keyboards type for '#'; Mastodon
// accepts it as a hashtag sign too.
const fullwidthHash = "＃"

// isTagSeparator reports whether r may join the words of a hashtag without
// being a word character itself: the middle dots and the zero-width
// non-joiner that Persian and Japanese tags need. '_' is also a separator in
// Mastodon's pattern but isWord already covers it.
func isTagSeparator(r rune) bool {
	return r == '\u00B7' || r == '\u30FB' || r == '\u200C'
}

// hashSignLen returns the byte length of the hash sign at the start of s,
// or 0 when s does not start with one.
func hashSignLen(s string) int {
	switch {
	case strings.HasPrefix(s, "#"):
		return 1
	case strings.HasPrefix(s, fullwidthHash):
		return len(fullwidthHash)
	}
	return 0
}

// hashtagMayFollow reports whether a hashtag may start right after prev
// (0 for the start of the text). A word character before it means the '#'
// is part of a word ("C#"), and '/' or ')' mean a path or a closed group
// ("example.com/#top"), as in Mastodon's pattern.
func hashtagMayFollow(prev rune) bool {
	return !isWord(prev) && prev != '/' && prev != ')'
}

// tagNameLen returns the byte length of the hashtag name at the start of s,
// or 0 when there is none. The candidate is the longest run of word
// characters and separators that starts and ends with a word character. It
// is a name if it has an alphabetic character, or a separator ('_' included)
// strictly inside it: Mastodon's rule for telling "#1" (a number) from
// "#2_0" (a tag).
func tagNameLen(s string) int {
	end := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		word := isWord(r)
		if !word && (i == 0 || !isTagSeparator(r)) {
			break
		}
		i += size
		if word {
			end = i
		}
	}
	if end == 0 {
		return 0
	}
	name := s[:end]
	for i, r := range name {
		if isAlpha(r) {
			return end
		}
		_, size := utf8.DecodeRuneInString(name[i:])
		inner := i > 0 && i+size < len(name)
		if inner && (r == '_' || isTagSeparator(r)) {
			return end
		}
	}
	return 0
}

// normalizeTag folds a hashtag name to the form it is indexed under:
// compatibility-normalised so that "café" typed with a combining accent or
// in full-width letters matches the precomposed one, then lower-cased.
func normalizeTag(name string) string {
	return strings.ToLower(norm.NFKC.String(name))
}
