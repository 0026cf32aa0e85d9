package httpsig

import (
	"context"
	"crypto"
	"crypto/rsa"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// verifyCavage verifies a draft-cavage signature whose parameters are in
// header. Cheap checks (coverage, digest, clock) run before the key is
// resolved, so junk requests never make us fetch keys.
func verifyCavage(ctx context.Context, r *http.Request, body []byte, keys KeyFunc, opts Options, header string) (*Verified, error) {
	p, err := parseCavageParams(header)
	if err != nil {
		return nil, unverified("%w", err)
	}
	switch p.algorithm {
	case AlgRSASHA256, "hs2019", "":
	default:
		return nil, unverified("unsupported algorithm %s", p.algorithm)
	}
	if err := checkCavageCoverage(p); err != nil {
		return nil, err
	}
	msg, err := cavageSigningString(r, p)
	if err != nil {
		return nil, unverified("%w", err)
	}
	if err := checkCavageDigest(r, p, body, opts); err != nil {
		return nil, err
	}
	if err := checkCavageTimes(r, p, opts); err != nil {
		return nil, err
	}
	alg, err := verifyWithRotation(ctx, keys, p.keyID, func(key crypto.PublicKey) (string, error) {
		return verifyCavageSignature(key, p.algorithm, []byte(msg), p.signature)
	})
	if err != nil {
		return nil, err
	}
	return &Verified{KeyID: p.keyID, Scheme: SchemeDraftCavage, Algorithm: alg, Covered: slices.Clone(p.headers)}, nil
}

// checkCavageCoverage requires the headers that bind a signature to this
// request and this moment: without (request-target) and host a signature
// could be replayed against another endpoint or server, and without date or
// (created) it could be replayed forever. The draft only recommends them
// (section 2.3); the fediverse signers all send them, for every method.
func checkCavageCoverage(p *cavageParams) error {
	for _, h := range []string{"(request-target)", "host"} {
		if !slices.Contains(p.headers, h) {
			return unverified("%s not covered by signature", h)
		}
	}
	if !slices.Contains(p.headers, "date") && !slices.Contains(p.headers, "(created)") {
		return unverified("neither date nor (created) covered by signature")
	}
	return nil
}

// checkCavageDigest checks any Digest header against the body, and when
// opts.RequireDigest asks for it, that a request with a body has a covered
// Digest at all.
func checkCavageDigest(r *http.Request, p *cavageParams, body []byte, opts Options) error {
	digest := strings.Join(r.Header.Values("Digest"), ", ")
	if opts.RequireDigest && len(body) > 0 {
		if digest == "" {
			return unverified("missing digest")
		}
		if !slices.Contains(p.headers, "digest") {
			return unverified("digest not covered by signature")
		}
	}
	if digest != "" {
		if err := checkDigest(digest, body); err != nil {
			return unverified("%w", err)
		}
	}
	return nil
}

// checkCavageTimes checks a covered Date and the created and expires
// parameters against the clock.
func checkCavageTimes(r *http.Request, p *cavageParams, opts Options) error {
	now, skew := opts.now(), opts.maxSkew()
	if slices.Contains(p.headers, "date") {
		date, ok := fieldValue(r, "date")
		if !ok {
			return unverified("covered header date missing")
		}
		if err := checkDate(date, now, skew); err != nil {
			return err
		}
	}
	if p.created != "" {
		created, _ := strconv.ParseInt(p.created, 10, 64) // validated by parseCavageParams
		if err := checkCreated(created, now, skew); err != nil {
			return err
		}
	}
	if p.expires != "" {
		// Compared as float seconds: converting a huge value to
		// nanoseconds would overflow.
		expires, _ := strconv.ParseFloat(p.expires, 64) // validated by parseCavageParams
		if float64(now.UnixNano())/float64(time.Second) > expires {
			return unverified("signature expired at %s", p.expires)
		}
	}
	return nil
}

// cavageSigningString builds the signing string of draft section 2.3: one
// "name: value" line per covered header, joined with "\n".
func cavageSigningString(r *http.Request, p *cavageParams) (string, error) {
	lines := make([]string, 0, len(p.headers))
	for _, h := range p.headers {
		var v string
		switch h {
		case "(request-target)":
			v = strings.ToLower(r.Method) + " " + requestTarget(r)
		case "(created)", "(expires)":
			// Section 2.3 forbids these with the algorithms that name
			// their own hash, so a signer cannot switch meaning.
			if strings.HasPrefix(p.algorithm, "rsa") {
				return "", fmt.Errorf("%s not allowed with algorithm %s", h, p.algorithm)
			}
			if v = p.created; h == "(expires)" {
				v = p.expires
			}
			if v == "" {
				return "", fmt.Errorf("%s covered but parameter %s missing", h, strings.Trim(h, "()"))
			}
		default:
			var ok bool
			if v, ok = fieldValue(r, h); !ok {
				return "", fmt.Errorf("covered header %s missing", h)
			}
		}
		lines = append(lines, h+": "+v)
	}
	return strings.Join(lines, "\n"), nil
}

// verifyCavageSignature checks sig over msg and returns the resolved
// algorithm. hs2019 (and a missing algorithm) leave the choice to the key
// type. For RSA keys that means PKCS1-v1_5 with SHA-256: the draft
// suggests PSS with SHA-512, but Mastodon and the others that send hs2019
// sign exactly as for rsa-sha256.
func verifyCavageSignature(key crypto.PublicKey, algorithm string, msg, sig []byte) (string, error) {
	if algorithm == AlgRSASHA256 {
		return AlgRSASHA256, verifyPKCS1v15SHA256(key, AlgRSASHA256, msg, sig)
	}
	if _, ok := key.(*rsa.PublicKey); ok {
		return AlgHS2019RSA, verifyPKCS1v15SHA256(key, AlgHS2019RSA, msg, sig)
	}
	if _, ok := asEd25519(key); ok {
		return AlgHS2019Ed25519, verifyEd25519(key, AlgHS2019Ed25519, msg, sig)
	}
	return "", fmt.Errorf("unsupported key type %T for hs2019", key)
}
