package httpsig

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// keyBits is the size of keys GenerateKey makes: what Mastodon and the
// others generate, and what all of them accept.
const keyBits = 2048

// GenerateKey makes a new 2048-bit RSA key for an actor.
func GenerateKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("httpsig: generate key: %w", err)
	}
	return k, nil
}

// EncodePrivateKeyPEM encodes key as a PKCS#8 "PRIVATE KEY" PEM block. It
// returns "" only for a key crypto/x509 cannot marshal (nil, or invalid).
func EncodePrivateKeyPEM(key *rsa.PrivateKey) string {
	if key == nil {
		return ""
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// EncodePublicKeyPEM encodes an RSA or Ed25519 key as a PKIX "PUBLIC KEY"
// PEM block, the form ActivityPub actors publish in
// publicKey.publicKeyPem. It returns "" for any other key, and for a nil or
// malformed one.
func EncodePublicKeyPEM(key crypto.PublicKey) string {
	switch k := key.(type) {
	case *rsa.PublicKey:
		// crypto/x509 dereferences without checking.
		if k == nil || k.N == nil {
			return ""
		}
	default:
		ed, ok := asEd25519(key)
		if !ok || len(ed) != ed25519.PublicKeySize {
			return ""
		}
		key = ed
	}
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// ParsePublicKeyPEM parses the first PEM block of s as an RSA or Ed25519
// public key, in PKIX ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY") form.
// Remote actors sometimes label one form as the other, so the other
// encoding is tried when the labelled one fails.
func ParsePublicKeyPEM(s string) (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if block == nil {
		return nil, errors.New("httpsig: parse public key: no PEM block")
	}
	switch block.Type {
	case "PUBLIC KEY", "RSA PUBLIC KEY":
	default:
		return nil, fmt.Errorf("httpsig: parse public key: unexpected PEM type %q", block.Type)
	}
	pkix, errPKIX := x509.ParsePKIXPublicKey(block.Bytes)
	if errPKIX == nil {
		switch k := pkix.(type) {
		case *rsa.PublicKey, ed25519.PublicKey:
			return k, nil
		default:
			return nil, fmt.Errorf("httpsig: parse public key: unsupported key type %T", k)
		}
	}
	k, errPKCS1 := x509.ParsePKCS1PublicKey(block.Bytes)
	if errPKCS1 != nil {
		return nil, fmt.Errorf("httpsig: parse public key: %w", errors.Join(errPKIX, errPKCS1))
	}
	return k, nil
}

// ParsePrivateKeyPEM parses the first PEM block of s as an RSA private key
// in PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") form.
func ParsePrivateKeyPEM(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if block == nil {
		return nil, errors.New("httpsig: parse private key: no PEM block")
	}
	switch block.Type {
	case "PRIVATE KEY", "RSA PRIVATE KEY":
	default:
		return nil, fmt.Errorf("httpsig: parse private key: unexpected PEM type %q", block.Type)
	}
	pkcs8, errPKCS8 := x509.ParsePKCS8PrivateKey(block.Bytes)
	if errPKCS8 == nil {
		k, ok := pkcs8.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("httpsig: parse private key: unsupported key type %T", pkcs8)
		}
		return k, nil
	}
	k, errPKCS1 := x509.ParsePKCS1PrivateKey(block.Bytes)
	if errPKCS1 != nil {
		return nil, fmt.Errorf("httpsig: parse private key: %w", errors.Join(errPKCS8, errPKCS1))
	}
	return k, nil
}
