package httpsig

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// rfc9421Sig is one signature taken from the Signature-Input and Signature
// dictionaries.
type rfc9421Sig struct {
	label      string
	components []string  // covered component identifiers, in order
	items      []sfItem  // the inner list as parsed, for @signature-params
	params     []sfParam // its parameters, likewise
	keyID      string
	alg        string // "" when absent
	created    int64
	hasCreated bool
	expires    int64
	hasExpires bool
	signature  []byte
}

// derivedComponents are the RFC 9421 section 2.2 components that a request
// can supply without parameters.
var derivedComponents = []string{"@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query"}

// rfc9421Algorithms are the alg values Verify can check.
var rfc9421Algorithms = []string{AlgRSAV15SHA256, AlgRSAPSSSHA512, AlgEd25519}

// parseRFC9421 reads the Signature-Input and Signature headers and picks
// the signature to verify.
func parseRFC9421(r *http.Request) (*rfc9421Sig, error) {
	inputs, err := parseDictionary(strings.Join(r.Header.Values("Signature-Input"), ", "))
	if err != nil {
		return nil, fmt.Errorf("malformed Signature-Input: %w", err)
	}
	sigs, err := parseDictionary(strings.Join(r.Header.Values("Signature"), ", "))
	if err != nil {
		return nil, fmt.Errorf("malformed Signature: %w", err)
	}
	input, err := selectSignatureInput(inputs)
	if err != nil {
		return nil, err
	}
	s, err := parseSignatureInput(input)
	if err != nil {
		return nil, err
	}
	for _, m := range sigs {
		if m.key != s.label {
			continue
		}
		b, ok := m.item.value.([]byte)
		if m.inner || !ok || len(b) == 0 {
			return nil, fmt.Errorf("signature %q is not a byte sequence", s.label)
		}
		s.signature = b
		return s, nil
	}
	return nil, fmt.Errorf("no signature for label %q", s.label)
}

// selectSignatureInput picks the first label whose alg parameter names an
// algorithm we support. Failing that it takes the first label without alg,
// whose algorithm will follow from the key type. Labels are otherwise
// arbitrary (RFC 9421 section 3.2), so none is special.
func selectSignatureInput(inputs []sfMember) (*sfMember, error) {
	var withoutAlg *sfMember
	unsupported := ""
	for i := range inputs {
		m := &inputs[i]
		if !m.inner {
			continue
		}
		v, ok := param(m.params, "alg")
		if !ok {
			if withoutAlg == nil {
				withoutAlg = m
			}
			continue
		}
		if alg, _ := v.(string); slices.Contains(rfc9421Algorithms, alg) {
			return m, nil
		}
		if unsupported == "" {
			unsupported = fmt.Sprint(v)
		}
	}
	if withoutAlg != nil {
		return withoutAlg, nil
	}
	if unsupported != "" {
		return nil, fmt.Errorf("unsupported algorithm %s", unsupported)
	}
	return nil, errors.New("no usable signature in Signature-Input")
}

// parseSignatureInput validates one Signature-Input member: its covered
// components and its signature parameters.
func parseSignatureInput(m *sfMember) (*rfc9421Sig, error) {
	s := &rfc9421Sig{label: m.key, items: m.items, params: m.params}
	for _, it := range m.items {
		name, ok := it.value.(string)
		switch {
		case !ok:
			return nil, fmt.Errorf("component identifier %v is not a string", it.value)
		case len(it.params) > 0:
			// sf, key, bs, req, tr and name change how a value is
			// derived; none is needed for ActivityPub requests.
			return nil, fmt.Errorf("unsupported component parameters on %q", name)
		case name != strings.ToLower(name):
			return nil, fmt.Errorf("component identifier %q is not lower-case", name)
		case strings.HasPrefix(name, "@") && !slices.Contains(derivedComponents, name):
			return nil, fmt.Errorf("unsupported derived component %q", name)
		case slices.Contains(s.components, name):
			return nil, fmt.Errorf("component %q covered twice", name)
		}
		s.components = append(s.components, name)
	}
	for _, p := range m.params {
		if err := s.setParam(p); err != nil {
			return nil, err
		}
	}
	if s.keyID == "" {
		return nil, errors.New("missing keyid parameter")
	}
	return s, nil
}

// setParam records a signature parameter after checking its type. Unknown
// parameters (nonce, tag, future ones) still count: they are part of the
// signed @signature-params line.
func (s *rfc9421Sig) setParam(p sfParam) error {
	var ok bool
	switch p.key {
	case "keyid":
		s.keyID, ok = p.value.(string)
	case "alg":
		s.alg, ok = p.value.(string)
	case "created":
		s.created, ok = p.value.(int64)
		s.hasCreated = true
	case "expires":
		s.expires, ok = p.value.(int64)
		s.hasExpires = true
	case "nonce", "tag":
		_, ok = p.value.(string)
	default:
		ok = true
	}
	if !ok {
		return fmt.Errorf("signature parameter %s has the wrong type", p.key)
	}
	return nil
}
