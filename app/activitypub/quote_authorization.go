package activitypub

import (
	"net/http"
	"strconv"

	"pukeko/app/model"
)

// quoteAuthorization serves the QuoteAuthorization of a quote of one of
// the identity's posts (FEP-044f), the stamp other servers fetch to check
// that a quote was approved: 404 unless it stands (accepted, not revoked,
// both posts still there). Public, as Mastodon serves it.
func (h *Handlers) quoteAuthorization(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		notFound(w)
		return
	}
	auth, err := h.In.QuoteAuthorization(r.Context(), i, model.ID(id))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if auth == nil {
		notFound(w)
		return
	}
	writeActivity(w, auth)
}
