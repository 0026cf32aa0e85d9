package httpsig

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
)

// Scheme names reported in Verified.Scheme.
const (
	SchemeDraftCavage = "draft-cavage"
	SchemeRFC9421     = "rfc9421"
)

// Algorithm names reported in Verified.Algorithm. The draft-cavage hs2019
// value says only "derive the algorithm from the key", so the resolved name
// records which key type it turned out to be.
const (
	AlgRSASHA256     = "rsa-sha256"      // draft-cavage, RSASSA-PKCS1-v1_5 with SHA-256
	AlgHS2019RSA     = "hs2019-rsa"      // draft-cavage hs2019 with an RSA key (PKCS1-v1_5, SHA-256, as the fediverse does it)
	AlgHS2019Ed25519 = "hs2019-ed25519"  // draft-cavage hs2019 with an Ed25519 key
	AlgRSAV15SHA256  = "rsa-v1_5-sha256" // RFC 9421 section 3.3.2
	AlgRSAPSSSHA512  = "rsa-pss-sha512"  // RFC 9421 section 3.3.1
	AlgEd25519       = "ed25519"         // RFC 9421 section 3.3.6
)

const (
	// pssSaltLength is fixed by RFC 9421 section 3.3.1.
	pssSaltLength = 64
	// errKeyTypeMessage reports a key that cannot check the algorithm at
	// all, which after key rotation can mean the actor changed key type.
	errKeyTypeMessage = "key type %T cannot verify %s signatures"
)

// errBadSignature marks a signature that does not match the key, as opposed
// to a key of the wrong type; both make Verify retry with a refreshed key.
var errBadSignature = errors.New("signature does not match")

// verifyPKCS1v15SHA256 checks an RSASSA-PKCS1-v1_5 signature over SHA-256(msg).
func verifyPKCS1v15SHA256(key crypto.PublicKey, alg string, msg, sig []byte) error {
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf(errKeyTypeMessage, key, alg)
	}
	sum := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		return fmt.Errorf("%w (%s): %w", errBadSignature, alg, err)
	}
	return nil
}

// verifyPSSSHA512 checks an RSASSA-PSS signature over SHA-512(msg) with the
// MGF1-SHA-512 mask and 64-byte salt that RFC 9421 prescribes.
func verifyPSSSHA512(key crypto.PublicKey, msg, sig []byte) error {
	pub, ok := key.(*rsa.PublicKey)
	if !ok {
		return fmt.Errorf(errKeyTypeMessage, key, AlgRSAPSSSHA512)
	}
	sum := sha512.Sum512(msg)
	opts := &rsa.PSSOptions{SaltLength: pssSaltLength, Hash: crypto.SHA512}
	if err := rsa.VerifyPSS(pub, crypto.SHA512, sum[:], sig, opts); err != nil {
		return fmt.Errorf("%w (%s): %w", errBadSignature, AlgRSAPSSSHA512, err)
	}
	return nil
}

// verifyEd25519 checks a pure Ed25519 signature over msg.
func verifyEd25519(key crypto.PublicKey, alg string, msg, sig []byte) error {
	pub, ok := asEd25519(key)
	if !ok {
		return fmt.Errorf(errKeyTypeMessage, key, alg)
	}
	// ed25519.Verify panics on a public key of the wrong length, and keys
	// come from remote actor documents.
	if len(pub) != ed25519.PublicKeySize {
		return fmt.Errorf("ed25519 public key has %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return fmt.Errorf("%w (%s)", errBadSignature, alg)
	}
	return nil
}

// asEd25519 accepts both the value and the pointer form, since callers
// building a KeyFunc by hand may hold either.
func asEd25519(key crypto.PublicKey) (ed25519.PublicKey, bool) {
	switch k := key.(type) {
	case ed25519.PublicKey:
		return k, true
	case *ed25519.PublicKey:
		if k == nil {
			return nil, false
		}
		return *k, true
	}
	return nil, false
}
