package oauth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// newSecret returns 256 random bits in URL-safe base64 (43 characters), the
// shape of Mastodon's client ids, secrets, codes and tokens.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails: crypto/rand aborts the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how a secret is stored and looked up. A plain SHA-256 is
// enough: the secrets are long random strings, not passwords.
func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

// secretMatches compares a presented secret with a stored hash in constant
// time.
func secretMatches(presented string, hash []byte) bool {
	return subtle.ConstantTimeCompare(hashSecret(presented), hash) == 1
}
