package httpsig

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// Body digests: the RFC 3230 Digest header that draft-cavage signatures
// cover ("SHA-256=<base64>") and the RFC 9530 Content-Digest header that
// RFC 9421 signatures cover ("sha-256=:<base64>:").

var (
	errDigestMismatch    = errors.New("digest mismatch")
	errDigestUnsupported = errors.New("digest uses no supported algorithm (want sha-256 or sha-512)")
	errDigestMalformed   = errors.New("malformed digest")
)

// digestHeader returns the Digest header value SignRequest sends.
func digestHeader(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// bodySum hashes body with the named algorithm (case-insensitive); ok is
// false for algorithms this package does not check.
func bodySum(alg string, body []byte) (sum []byte, ok bool) {
	switch strings.ToLower(alg) {
	case "sha-256":
		s := sha256.Sum256(body)
		return s[:], true
	case "sha-512":
		s := sha512.Sum512(body)
		return s[:], true
	}
	return nil, false
}

// checkDigest compares a Digest header value, which may list several
// algorithms ("SHA-256=..., SHA-512=..."), with the body. Every supported
// entry must match, and at least one must be supported.
func checkDigest(value string, body []byte) error {
	checked := 0
	for entry := range strings.SplitSeq(value, ",") {
		alg, enc, found := strings.Cut(strings.TrimSpace(entry), "=")
		if !found {
			return errDigestMalformed
		}
		want, ok := bodySum(alg, body)
		if !ok {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
		if err != nil {
			return errDigestMalformed
		}
		if !bytes.Equal(got, want) {
			return errDigestMismatch
		}
		checked++
	}
	if checked == 0 {
		return errDigestUnsupported
	}
	return nil
}

// checkContentDigest compares a Content-Digest dictionary with the body,
// with the same rules as checkDigest.
func checkContentDigest(value string, body []byte) error {
	members, err := parseDictionary(value)
	if err != nil {
		return fmt.Errorf("%w: %w", errDigestMalformed, err)
	}
	checked := 0
	for _, m := range members {
		want, ok := bodySum(m.key, body)
		if !ok {
			continue
		}
		got, isBytes := m.item.value.([]byte)
		if m.inner || !isBytes {
			return errDigestMalformed
		}
		if !bytes.Equal(got, want) {
			return errDigestMismatch
		}
		checked++
	}
	if checked == 0 {
		return errDigestUnsupported
	}
	return nil
}
