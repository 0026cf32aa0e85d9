package mastodon

import (
	"strconv"
	"unicode/utf8"
)

// appendPoll appends a poll's JSON as encoding/json would write it, on
// the path of every page of a timeline (a third of the statuses carry
// one).
func appendPoll(buf []byte, p *Poll) []byte {
	buf = append(buf, `{"id":`...)
	buf = appendJSONString(buf, p.ID)
	buf = append(buf, `,"expires_at":`...)
	if p.ExpiresAt != nil {
		buf = appendJSONString(buf, *p.ExpiresAt)
	} else {
		buf = append(buf, "null"...)
	}
	buf = appendMark(buf, "expired", p.Expired)
	buf = appendMark(buf, "multiple", p.Multiple)
	buf = append(buf, `,"votes_count":`...)
	buf = strconv.AppendInt(buf, int64(p.VotesCount), 10)
	buf = append(buf, `,"voters_count":`...)
	buf = appendIntPtr(buf, p.VotersCount)
	buf = append(buf, `,"options":[`...)
	for k, o := range p.Options {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"title":`...)
		buf = appendJSONString(buf, o.Title)
		buf = append(buf, `,"votes_count":`...)
		buf = appendIntPtr(buf, o.VotesCount)
		buf = append(buf, '}')
	}
	buf = append(buf, `],"emojis":[]`...)
	if p.Voted != nil {
		buf = appendMark(buf, "voted", *p.Voted)
	}
	if p.OwnVotes != nil {
		buf = append(buf, `,"own_votes":[`...)
		for k, v := range p.OwnVotes {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = strconv.AppendInt(buf, int64(v), 10)
		}
		buf = append(buf, ']')
	}
	return append(buf, '}')
}

func appendIntPtr(buf []byte, n *int) []byte {
	if n == nil {
		return append(buf, "null"...)
	}
	return strconv.AppendInt(buf, int64(*n), 10)
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML-safe, invalid UTF-8 replaced).
func appendJSONString(buf []byte, s string) []byte {
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c == '\n':
				buf = append(buf, '\\', 'n')
			case c == '\r':
				buf = append(buf, '\\', 'r')
			case c == '\t':
				buf = append(buf, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}
