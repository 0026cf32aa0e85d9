package httpsig

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// cavageParams holds the parameters of a draft-cavage Signature header (or
// of an Authorization header with the Signature scheme).
type cavageParams struct {
	keyID     string
	algorithm string   // lower-case; "" when absent
	headers   []string // lower-case; defaults to date
	signature []byte
	created   string // raw text; "" when absent
	expires   string // raw text; "" when absent
}

// parseCavageParams parses `keyId="...",algorithm="...",...`. Parameter
// names are matched case-insensitively; a repeated parameter is an error
// (draft section 2.2) because two verifiers could pick different copies.
func parseCavageParams(s string) (*cavageParams, error) {
	raw, err := splitCavageParams(s)
	if err != nil {
		return nil, err
	}
	p := &cavageParams{algorithm: strings.ToLower(raw["algorithm"])}
	if p.keyID = raw["keyid"]; p.keyID == "" {
		return nil, errors.New("missing keyId")
	}
	sig := raw["signature"]
	if sig == "" {
		return nil, errors.New("missing signature parameter")
	}
	if p.signature, err = base64.StdEncoding.DecodeString(sig); err != nil {
		return nil, fmt.Errorf("malformed signature parameter: %w", err)
	}
	// The draft's default is (created), but its own Appendix C and every
	// deployed signer treat a missing list as "date".
	p.headers = []string{"date"}
	if h, ok := raw["headers"]; ok {
		if p.headers = strings.Fields(strings.ToLower(h)); len(p.headers) == 0 {
			return nil, errors.New("empty headers parameter")
		}
	}
	if p.created = raw["created"]; p.created != "" {
		if _, err := strconv.ParseInt(p.created, 10, 64); err != nil {
			return nil, fmt.Errorf("malformed created parameter %q", p.created)
		}
	}
	// expires may have a fractional part (section 2.1.5). ParseFloat alone
	// would also take "NaN", which never compares as past.
	if p.expires = raw["expires"]; p.expires != "" {
		if _, err := strconv.ParseFloat(p.expires, 64); err != nil || !isDecimalText(p.expires) {
			return nil, fmt.Errorf("malformed expires parameter %q", p.expires)
		}
	}
	return p, nil
}

// isDecimalText reports whether s is digits with at most one '.' between
// digits.
func isDecimalText(s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	allDigits := func(t string) bool {
		return t != "" && strings.Trim(t, "0123456789") == ""
	}
	return allDigits(intPart) && (!hasDot || allDigits(frac))
}

// splitCavageParams splits a comma-separated list of name=value pairs,
// values quoted (with backslash escapes) or bare, into a map keyed by the
// lower-cased name.
func splitCavageParams(s string) (map[string]string, error) {
	out := map[string]string{}
	i := 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return nil, fmt.Errorf("malformed signature parameters near %q", s[i:])
		}
		name := strings.ToLower(strings.TrimSpace(s[i : i+eq]))
		i += eq + 1
		var value string
		var err error
		if value, i, err = cavageValue(s, i); err != nil {
			return nil, err
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("duplicate signature parameter %q", name)
		}
		out[name] = value
	}
}

// cavageValue reads one parameter value starting at s[i] and returns it
// with the index just past it.
func cavageValue(s string, i int) (string, int, error) {
	if i >= len(s) || s[i] != '"' {
		end := strings.IndexByte(s[i:], ',')
		if end < 0 {
			end = len(s) - i
		}
		return strings.TrimSpace(s[i : i+end]), i + end, nil
	}
	var b strings.Builder
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", i, errors.New("unterminated quoted signature parameter")
}
