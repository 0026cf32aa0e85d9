package text

import "unicode/utf8"

// entityKind says what an entity links to.
type entityKind uint8

const (
	entityURL entityKind = iota + 1
	entityMention
	entityHashtag
)

// entity is one linkable span of a line.
type entity struct {
	kind       entityKind
	start, end int // byte offsets into the line, '@' and '#' included
	// text is the URL, the mention's username, or the hashtag name as typed.
	text string
	// domain is a mention's lower-cased domain, "" for a short "@user".
	domain string
}

// scanLine finds the URLs, mentions and hashtags of one line, left to right
// and without overlaps. Each position is looked at once and each attempt
// either consumes what it read or fails within a span that cannot start
// another attempt, so the scan is linear in the length of the line; that is
// what keeps a hostile 100 KB post cheap, where backtracking regexps are not.
// A URL is taken whole before anything inside it is considered, so its
// "#fragment" or "@user" path never becomes a hashtag or a mention.
func scanLine(line string) []entity {
	return scanText(line, 0)
}

// scanText is scanLine for text that follows the character prev (0 for
// none), as when HTML splits running text into several text nodes.
func scanText(line string, prev rune) []entity {
	var out []entity
	for i := 0; i < len(line); {
		var e entity
		ok := false
		switch c := line[i]; {
		case (c == 'h' || c == 'H') && !isWord(prev):
			e, ok = scanURL(line, i)
		case c == '@' && mentionMayFollow(prev):
			e, ok = scanMention(line, i)
		case (c == '#' || c == fullwidthHash[0]) && hashtagMayFollow(prev):
			if n := hashSignLen(line[i:]); n > 0 {
				if m := tagNameLen(line[i+n:]); m > 0 {
					e = entity{kind: entityHashtag, start: i, end: i + n + m, text: line[i+n : i+n+m]}
					ok = true
				}
			}
		}
		if ok {
			out = append(out, e)
			i = e.end
			prev, _ = utf8.DecodeLastRuneInString(line[:i])
			continue
		}
		if c := line[i]; c < utf8.RuneSelf {
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		prev = r
		i += size
	}
	return out
}
