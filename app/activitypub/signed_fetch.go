package activitypub

import (
	"context"
	"crypto"
	"net/http"

	"pukeko/app/httpsig"
	"pukeko/app/model"
)

// fetchReader tells who fetches a post: a signed GET (as Mastodon sends
// when a follower's server fetches a followers-only post, or a mentioned
// actor's server a direct one) reads as the signing actor; an unsigned
// one as a logged-out reader (0). ok is false when a signature was sent
// but does not verify: such a request is answered 401, as Mastodon does,
// rather than quietly served less.
func (h *Handlers) fetchReader(r *http.Request) (reader model.ID, ok bool) {
	if r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "" &&
		r.Header.Get("Authorization") == "" {
		return 0, true
	}
	var owner *model.Identity
	keys := func(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, error) {
		key, o, err := h.In.PublicKey(ctx, keyID, refresh)
		owner = o
		return key, err
	}
	if _, err := httpsig.Verify(r.Context(), r, nil, keys, httpsig.Options{MaxSkew: h.In.MaxDateSkew}); err != nil || owner == nil {
		return 0, false
	}
	return owner.ID, true
}
