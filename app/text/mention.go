package text

import (
	"strings"
	"unicode/utf8"
)

// mentionMayFollow reports whether an '@' after prev (0 for the start of the
// text) can begin a mention. A word character before it makes it an e-mail
// address ("me@example.com"); '=' and '/' make it part of a query or a path,
// as in Mastodon's pattern.
func mentionMayFollow(prev rune) bool {
	return !isWord(prev) && prev != '=' && prev != '/'
}

// isUsernameChar reports whether b may appear in a username. Usernames are
// ASCII only, as Mastodon's are; '.' and '-' may only sit between the others.
func isUsernameChar(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_' || b == '.' || b == '-'
}

// usernameLen returns the byte length of the username at the start of s, or
// 0 when there is none. Trailing dots and dashes are left out so that
// "@bob." at the end of a sentence means bob.
func usernameLen(s string) int {
	end := 0
	for i := 0; i < len(s) && isUsernameChar(s[i]); i++ {
		if s[i] != '.' && s[i] != '-' {
			end = i + 1
		} else if i == 0 {
			return 0
		}
	}
	return end
}

// domainLen returns the byte length of the domain at the start of s, or 0
// when there is none: runs of word characters (so internationalised names
// work) joined by dots or dashes, never ending in one, so that
// "@bob@example.com." leaves the full stop out.
func domainLen(s string) int {
	end := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWord(r):
			end = i + size
		case (r == '.' || r == '-') && i > 0:
		default:
			return end
		}
		i += size
	}
	return end
}

// scanMention reads the mention whose '@' is at line[at], reporting false
// when no username follows it. The domain is optional and lower-cased,
// because domains are case-insensitive and handles are compared as strings.
func scanMention(line string, at int) (entity, bool) {
	start := at + 1
	u := usernameLen(line[start:])
	if u == 0 {
		return entity{}, false
	}
	e := entity{kind: entityMention, start: at, end: start + u, text: line[start : start+u]}
	if e.end < len(line) && line[e.end] == '@' {
		if d := domainLen(line[e.end+1:]); d > 0 {
			e.domain = strings.ToLower(line[e.end+1 : e.end+1+d])
			e.end += 1 + d
		}
	}
	return e, true
}

// handle is the "user@domain" form of a mention: the one Mention resolves
// and Parsed lists. A short "@user" belongs to the author's own domain.
func (e entity) handle(localDomain string) string {
	domain := e.domain
	if domain == "" {
		domain = strings.ToLower(localDomain)
	}
	if domain == "" {
		return e.text
	}
	return e.text + "@" + domain
}
