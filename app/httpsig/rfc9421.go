package httpsig

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// verifyRFC9421 verifies an RFC 9421 signature. As for draft-cavage, the
// cheap checks run before the key is resolved.
func verifyRFC9421(ctx context.Context, r *http.Request, body []byte, keys KeyFunc, opts Options) (*Verified, error) {
	if len(r.Header.Values("Signature")) == 0 {
		return nil, unverified("Signature-Input without Signature")
	}
	s, err := parseRFC9421(r)
	if err != nil {
		return nil, unverified("%w", err)
	}
	if err := checkRFC9421Coverage(s); err != nil {
		return nil, err
	}
	base, err := rfc9421Base(r, s, schemeOf(r, opts.Scheme))
	if err != nil {
		return nil, unverified("%w", err)
	}
	if err := checkRFC9421Digest(r, s, body, opts); err != nil {
		return nil, err
	}
	if err := checkRFC9421Times(r, s, opts); err != nil {
		return nil, err
	}
	alg, err := verifyWithRotation(ctx, keys, s.keyID, func(key crypto.PublicKey) (string, error) {
		return verifyRFC9421Signature(key, s.alg, []byte(base), s.signature)
	})
	if err != nil {
		return nil, err
	}
	return &Verified{KeyID: s.keyID, Scheme: SchemeRFC9421, Algorithm: alg, Covered: slices.Clone(s.components)}, nil
}

// checkRFC9421Coverage requires, like checkCavageCoverage, that the
// signature binds the method, the target and a point in time.
func checkRFC9421Coverage(s *rfc9421Sig) error {
	has := func(c string) bool { return slices.Contains(s.components, c) }
	if !has("@method") {
		return unverified("@method not covered by signature")
	}
	if !has("@target-uri") && !((has("@path") || has("@request-target")) && (has("@authority") || has("host"))) {
		return unverified("request target not covered by signature (want @target-uri, or @path and @authority)")
	}
	if !s.hasCreated && !has("date") {
		return unverified("no created parameter and date not covered by signature")
	}
	return nil
}

// checkRFC9421Digest checks any Content-Digest against the body and, under
// opts.RequireDigest, that a request with a body has a covered one.
func checkRFC9421Digest(r *http.Request, s *rfc9421Sig, body []byte, opts Options) error {
	digest := strings.Join(r.Header.Values("Content-Digest"), ", ")
	if opts.RequireDigest && len(body) > 0 {
		if digest == "" {
			return unverified("missing content-digest")
		}
		if !slices.Contains(s.components, "content-digest") {
			return unverified("content-digest not covered by signature")
		}
	}
	if digest != "" {
		if err := checkContentDigest(digest, body); err != nil {
			return unverified("content-digest: %w", err)
		}
	}
	return nil
}

// checkRFC9421Times checks created, expires and a covered Date.
func checkRFC9421Times(r *http.Request, s *rfc9421Sig, opts Options) error {
	now, skew := opts.now(), opts.maxSkew()
	if s.hasCreated {
		if err := checkCreated(s.created, now, skew); err != nil {
			return err
		}
	}
	if s.hasExpires {
		if err := checkExpires(time.Unix(s.expires, 0), now); err != nil {
			return err
		}
	}
	if slices.Contains(s.components, "date") {
		date, _ := fieldValue(r, "date") // present: the base was built
		if err := checkDate(date, now, skew); err != nil {
			return err
		}
	}
	return nil
}

// verifyRFC9421Signature checks sig over base with alg, or, when alg is
// absent, with what the key type allows (section 3.2 says to derive it
// from the key). An RSA key alone does not say PKCS1-v1_5 or PSS, so both
// are tried; both are sound with the same key.
func verifyRFC9421Signature(key crypto.PublicKey, alg string, base, sig []byte) (string, error) {
	switch alg {
	case AlgRSAV15SHA256:
		return alg, verifyPKCS1v15SHA256(key, alg, base, sig)
	case AlgRSAPSSSHA512:
		return alg, verifyPSSSHA512(key, base, sig)
	case AlgEd25519:
		return alg, verifyEd25519(key, alg, base, sig)
	case "":
	default:
		return "", fmt.Errorf("unsupported algorithm %s", alg)
	}
	if _, ok := key.(*rsa.PublicKey); ok {
		errV15 := verifyPKCS1v15SHA256(key, AlgRSAV15SHA256, base, sig)
		if errV15 == nil {
			return AlgRSAV15SHA256, nil
		}
		if errPSS := verifyPSSSHA512(key, base, sig); errPSS != nil {
			return "", errors.Join(errV15, errPSS)
		}
		return AlgRSAPSSSHA512, nil
	}
	if _, ok := asEd25519(key); ok {
		return AlgEd25519, verifyEd25519(key, AlgEd25519, base, sig)
	}
	return "", fmt.Errorf("unsupported key type %T", key)
}
