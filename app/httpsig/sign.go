package httpsig

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SignRequest signs an outgoing request with a draft-cavage signature,
// algorithm rsa-sha256, which every fediverse server accepts. It covers
// (request-target), host and date, plus digest when body is non-nil.
//
// It sets Date (from now) if absent, r.Host from r.URL.Host if empty (so the
// signed host is the one sent), and for a non-nil body a Digest header
// "SHA-256=<base64>"; then the Signature header. body must be exactly what
// will be sent; SignRequest does not touch r.Body.
func SignRequest(r *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	if key == nil {
		return errors.New("httpsig: sign request: nil private key")
	}
	// The keyId travels inside a quoted string without escaping, as
	// implementations expect, so it must not need any.
	if keyID == "" || strings.ContainsAny(keyID, "\"\\\r\n") {
		return fmt.Errorf("httpsig: sign request: invalid keyId %q", keyID)
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if r.Header.Get("Date") == "" {
		r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	}
	if r.Host == "" && r.URL != nil {
		r.Host = r.URL.Host
	}
	if r.Host == "" {
		return errors.New("httpsig: sign request: request has no host")
	}
	p := &cavageParams{algorithm: AlgRSASHA256, headers: []string{"(request-target)", "host", "date"}}
	if body != nil {
		r.Header.Set("Digest", digestHeader(body))
		p.headers = append(p.headers, "digest")
	}
	msg, err := cavageSigningString(r, p)
	if err != nil {
		return fmt.Errorf("httpsig: sign request: %w", err)
	}
	sum := sha256.Sum256([]byte(msg))
	// PKCS1-v1_5 signing is deterministic; crypto/rsa ignores the random source.
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		return fmt.Errorf("httpsig: sign request: %w", err)
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="%s",headers="%s",signature="%s"`,
		keyID, AlgRSASHA256, strings.Join(p.headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}
