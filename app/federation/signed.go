package federation

import (
	"crypto/rsa"
	"net/http"
	"time"

	"pukeko/app/httpsig"
)

// Signer signs requests as an actor.
type Signer struct {
	KeyID string          // URL of the actor's public key, e.g. https://host/users/alice#main-key
	Key   *rsa.PrivateKey // the actor's private key
}

// sign adds Date, Host, Digest (when body is not nil) and Signature to r.
func (s *Signer) sign(r *http.Request, body []byte) error {
	return httpsig.SignRequest(r, s.KeyID, s.Key, body, time.Now())
}
