package httpsig

import (
	"context"
	"crypto"
	"net/http"
	"strings"
	"time"
)

// Verified describes a request whose signature checked out.
type Verified struct {
	// KeyID is the signer's key identifier; for ActivityPub, the URL of
	// the actor's public key. The caller must still check that this key
	// belongs to the actor the request claims to act for.
	KeyID string
	// Scheme is SchemeDraftCavage or SchemeRFC9421.
	Scheme string
	// Algorithm is the algorithm as resolved against the key: AlgRSASHA256,
	// AlgHS2019RSA, AlgHS2019Ed25519, AlgRSAV15SHA256, AlgRSAPSSSHA512 or
	// AlgEd25519.
	Algorithm string
	// Covered lists the signed headers or components, lower-case, in
	// signing order.
	Covered []string
}

// KeyFunc resolves a keyId to a public key (*rsa.PublicKey or
// ed25519.PublicKey). refresh is true on the second call for the same keyId,
// made after verification with the first key failed: the caller should then
// refetch the key from its origin (it may have been rotated) instead of
// using its cache.
type KeyFunc func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error)

// Options tunes Verify. The zero value is usable.
type Options struct {
	// MaxSkew is the allowed |now - Date| and |now - created|;
	// DefaultMaxSkew when zero.
	MaxSkew time.Duration
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// RequireDigest makes a body digest mandatory for requests with a
	// body: Digest (draft-cavage) or Content-Digest (RFC 9421) must be
	// present, covered by the signature and match the body.
	RequireDigest bool
	// Scheme is the scheme clients used to reach us ("https" behind a
	// TLS-terminating proxy), for the RFC 9421 @scheme and @target-uri
	// components. When empty it is taken from the request.
	Scheme string
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o Options) maxSkew() time.Duration {
	if o.MaxSkew > 0 {
		return o.MaxSkew
	}
	return DefaultMaxSkew
}

// Verify checks the HTTP signature on r, whose body the caller has already
// read into body (nil or empty for none). It accepts RFC 9421 signatures
// (Signature-Input and Signature headers) and draft-cavage signatures (a
// Signature header, or an Authorization header with the Signature scheme).
// Every error wraps ErrUnverified.
func Verify(ctx context.Context, r *http.Request, body []byte, keys KeyFunc, opts Options) (*Verified, error) {
	if keys == nil {
		return nil, unverified("no KeyFunc")
	}
	if len(r.Header.Values("Signature-Input")) > 0 {
		return verifyRFC9421(ctx, r, body, keys, opts)
	}
	if sig := strings.Join(r.Header.Values("Signature"), ", "); sig != "" {
		return verifyCavage(ctx, r, body, keys, opts, sig)
	}
	if scheme, params, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Signature") {
		return verifyCavage(ctx, r, body, keys, opts, params)
	}
	return nil, unverified("no signature")
}

// verifyWithRotation resolves keyID and runs check with the key. If check
// fails, the key may have been rotated since it was cached, so it asks for
// a refreshed key once and checks again: KeyFunc is called at most twice.
// check returns the resolved algorithm name.
func verifyWithRotation(ctx context.Context, keys KeyFunc, keyID string, check func(crypto.PublicKey) (string, error)) (string, error) {
	var lastErr error
	for _, refresh := range []bool{false, true} {
		key, err := keys(ctx, keyID, refresh)
		if err != nil {
			return "", unverified("resolve key %q: %w", keyID, err)
		}
		alg, err := check(key)
		if err == nil {
			return alg, nil
		}
		lastErr = err
	}
	return "", unverified("key %q: %w", keyID, lastErr)
}
