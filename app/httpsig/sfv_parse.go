package httpsig

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
)

// This file parses the part of RFC 8941 (Structured Field Values) that RFC
// 9421 and RFC 9530 need: dictionaries whose members are items or inner
// lists, with parameters.

// sfToken is a Token bare item; it serialises without quotes, unlike a string.
type sfToken string

// sfDecimal is a Decimal bare item kept in canonical text form, since only
// its serialisation is ever needed here.
type sfDecimal string

// sfParam is one ";key=value" parameter. A parameter without a value is
// Boolean true.
type sfParam struct {
	key   string
	value any
}

// sfItem is a bare item (int64, sfDecimal, string, sfToken, []byte or bool)
// with its parameters.
type sfItem struct {
	value  any
	params []sfParam
}

// sfMember is one dictionary member: either an item or an inner list, each
// with parameters (an inner list's own parameters live in params).
type sfMember struct {
	key    string
	inner  bool
	items  []sfItem // when inner
	item   sfItem   // when !inner
	params []sfParam
}

// param returns the value of the named parameter and whether it is present.
func param(params []sfParam, key string) (any, bool) {
	for _, p := range params {
		if p.key == key {
			return p.value, true
		}
	}
	return nil, false
}

// sfParser is a cursor over one field value.
type sfParser struct {
	s string
	i int
}

// parseDictionary parses a Dictionary field value (RFC 8941 section 4.2.2).
// Field lines must already be combined with ", ".
func parseDictionary(s string) ([]sfMember, error) {
	p := &sfParser{s: strings.Trim(s, " ")}
	var out []sfMember
	for !p.eof() {
		m, err := p.member()
		if err != nil {
			return nil, err
		}
		out = setMember(out, m)
		p.skipOWS()
		if p.eof() {
			return out, nil
		}
		if p.s[p.i] != ',' {
			return nil, p.errorf("expected ',' after member %q", m.key)
		}
		p.i++
		p.skipOWS()
		if p.eof() {
			return nil, p.errorf("trailing comma")
		}
	}
	return out, nil
}

// setMember appends m or, as RFC 8941 requires for a repeated key, replaces
// the earlier value in place.
func setMember(ms []sfMember, m sfMember) []sfMember {
	for i := range ms {
		if ms[i].key == m.key {
			ms[i] = m
			return ms
		}
	}
	return append(ms, m)
}

func (p *sfParser) eof() bool { return p.i >= len(p.s) }

func (p *sfParser) errorf(format string, args ...any) error {
	return fmt.Errorf("structured field at offset %d: %s", p.i, fmt.Sprintf(format, args...))
}

func (p *sfParser) skipSP() {
	for !p.eof() && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *sfParser) skipOWS() {
	for !p.eof() && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *sfParser) member() (sfMember, error) {
	key, err := p.key()
	if err != nil {
		return sfMember{}, err
	}
	m := sfMember{key: key}
	if p.eof() || p.s[p.i] != '=' {
		// A bare key is Boolean true with parameters.
		m.item.value = true
		m.item.params, err = p.params()
		return m, err
	}
	p.i++
	if !p.eof() && p.s[p.i] == '(' {
		m.inner = true
		m.items, m.params, err = p.innerList()
		return m, err
	}
	m.item, err = p.item()
	return m, err
}

func (p *sfParser) innerList() ([]sfItem, []sfParam, error) {
	p.i++ // '('
	var items []sfItem
	for {
		p.skipSP()
		if p.eof() {
			return nil, nil, p.errorf("unterminated inner list")
		}
		if p.s[p.i] == ')' {
			p.i++
			params, err := p.params()
			return items, params, err
		}
		it, err := p.item()
		if err != nil {
			return nil, nil, err
		}
		items = append(items, it)
		if p.eof() || (p.s[p.i] != ' ' && p.s[p.i] != ')') {
			return nil, nil, p.errorf("expected ' ' or ')' in inner list")
		}
	}
}

func (p *sfParser) item() (sfItem, error) {
	v, err := p.bareItem()
	if err != nil {
		return sfItem{}, err
	}
	params, err := p.params()
	return sfItem{value: v, params: params}, err
}

func (p *sfParser) params() ([]sfParam, error) {
	var out []sfParam
	for !p.eof() && p.s[p.i] == ';' {
		p.i++
		p.skipSP()
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		var v any = true
		if !p.eof() && p.s[p.i] == '=' {
			p.i++
			if v, err = p.bareItem(); err != nil {
				return nil, err
			}
		}
		out = setParam(out, sfParam{key: key, value: v})
	}
	return out, nil
}

// setParam appends or, for a repeated key, overwrites in place (RFC 8941).
func setParam(ps []sfParam, np sfParam) []sfParam {
	for i := range ps {
		if ps[i].key == np.key {
			ps[i] = np
			return ps
		}
	}
	return append(ps, np)
}

func isLCAlpha(c byte) bool { return c >= 'a' && c <= 'z' }
func isAlpha(c byte) bool   { return isLCAlpha(c) || (c >= 'A' && c <= 'Z') }
func isDigit(c byte) bool   { return c >= '0' && c <= '9' }

func (p *sfParser) key() (string, error) {
	start := p.i
	if p.eof() || !(isLCAlpha(p.s[p.i]) || p.s[p.i] == '*') {
		return "", p.errorf("expected key")
	}
	for !p.eof() {
		c := p.s[p.i]
		if !isLCAlpha(c) && !isDigit(c) && !strings.ContainsRune("_-.*", rune(c)) {
			break
		}
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *sfParser) bareItem() (any, error) {
	if p.eof() {
		return nil, p.errorf("expected item")
	}
	switch c := p.s[p.i]; {
	case c == '-' || isDigit(c):
		return p.number()
	case c == '"':
		return p.str()
	case c == ':':
		return p.byteSeq()
	case c == '?':
		return p.boolean()
	case isAlpha(c) || c == '*':
		return p.token(), nil
	default:
		return nil, p.errorf("unexpected %q", c)
	}
}

func (p *sfParser) number() (any, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	intStart, dot := p.i, -1
	for !p.eof() {
		c := p.s[p.i]
		if c == '.' && dot < 0 {
			dot = p.i
		} else if !isDigit(c) {
			break
		}
		p.i++
	}
	text := p.s[start:p.i]
	if dot < 0 {
		if n := p.i - intStart; n == 0 || n > 15 {
			return nil, p.errorf("bad integer %q", text)
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, p.errorf("bad integer %q", text)
		}
		return n, nil
	}
	intPart, frac := p.s[intStart:dot], p.s[dot+1:p.i]
	if len(intPart) == 0 || len(intPart) > 12 || len(frac) == 0 || len(frac) > 3 {
		return nil, p.errorf("bad decimal %q", text)
	}
	// Canonical form: no leading zeros, no trailing fractional zeros.
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		frac = "0"
	}
	sign := ""
	if text[0] == '-' {
		sign = "-"
	}
	return sfDecimal(sign + intPart + "." + frac), nil
}

func (p *sfParser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\':
			if p.eof() || (p.s[p.i] != '"' && p.s[p.i] != '\\') {
				return "", p.errorf("bad escape in string")
			}
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String(), nil
		case c < 0x20 || c > 0x7e:
			return "", p.errorf("bad character in string")
		default:
			b.WriteByte(c)
		}
	}
	return "", p.errorf("unterminated string")
}

func (p *sfParser) token() sfToken {
	start := p.i
	p.i++
	for !p.eof() && (isTChar(p.s[p.i]) || p.s[p.i] == ':' || p.s[p.i] == '/') {
		p.i++
	}
	return sfToken(p.s[start:p.i])
}

// isTChar reports whether c may appear in an RFC 9110 token.
func isTChar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func (p *sfParser) byteSeq() ([]byte, error) {
	p.i++ // opening colon
	end := strings.IndexByte(p.s[p.i:], ':')
	if end < 0 {
		return nil, p.errorf("unterminated byte sequence")
	}
	text := p.s[p.i : p.i+end]
	p.i += end + 1
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		// RFC 8941 lets parsers accept missing padding.
		if b, err = base64.RawStdEncoding.DecodeString(text); err != nil {
			return nil, p.errorf("bad base64 in byte sequence")
		}
	}
	return b, nil
}

func (p *sfParser) boolean() (bool, error) {
	if p.i+1 >= len(p.s) || (p.s[p.i+1] != '0' && p.s[p.i+1] != '1') {
		return false, p.errorf("bad boolean")
	}
	v := p.s[p.i+1] == '1'
	p.i += 2
	return v, nil
}
