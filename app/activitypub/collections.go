package activitypub

import (
	"context"
	"net/http"
	"strconv"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// pageSize is the number of items in one collection page; maxPage bounds
// the page number so the offset stays a sane number.
const (
	pageSize = 40
	maxPage  = 100_000
)

// followers serves the identity's followers: the count always, the list
// only when the identity does not hide it.
func (h *Handlers) followers(w http.ResponseWriter, r *http.Request) {
	h.follows(w, r, func(i *model.Identity) string { return i.FollowersURI }, store.FollowerURIs, true)
}

// following serves who the identity follows, with the same rules.
func (h *Handlers) following(w http.ResponseWriter, r *http.Request) {
	h.follows(w, r, func(i *model.Identity) string { return i.FollowingURI }, store.FollowingURIs, false)
}

type pageFunc func(ctx context.Context, db store.DB, id model.ID, limit, offset int) ([]string, error)

func (h *Handlers) follows(w http.ResponseWriter, r *http.Request, idOf func(*model.Identity) string, page pageFunc, followers bool) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	nFollowers, nFollowing, err := store.FollowCounts(r.Context(), h.In.DB, i.ID)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	total := nFollowing
	if followers {
		total = nFollowers
	}
	id := idOf(i)
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p > maxPage {
		p = maxPage
	}
	if p < 1 {
		first := id + "?page=1"
		if i.HideCollections || total == 0 {
			first = ""
		}
		writeActivity(w, ap.OrderedCollection(id, total, first))
		return
	}
	if i.HideCollections {
		http.Error(w, "this list is hidden", http.StatusForbidden)
		return
	}
	uris, err := page(r.Context(), h.In.DB, i.ID, pageSize+1, (p-1)*pageSize)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	more := len(uris) > pageSize
	if more {
		uris = uris[:pageSize]
	}
	items := make([]any, len(uris))
	for k, u := range uris {
		items[k] = u
	}
	writeActivity(w, ap.OrderedCollectionPage(id, p, items, total, more))
}

// outbox serves the identity's public activities; posts arrive with the
// posts capability, so it is empty for now but well-formed.
func (h *Handlers) outbox(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	h.emptyCollection(w, r, i.OutboxURI)
}

// featured serves the identity's pinned posts (none until posts exist).
func (h *Handlers) featured(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	h.emptyCollection(w, r, i.FeaturedURI)
}

func (h *Handlers) emptyCollection(w http.ResponseWriter, r *http.Request, id string) {
	if p, _ := strconv.Atoi(r.URL.Query().Get("page")); p >= 1 {
		writeActivity(w, ap.OrderedCollectionPage(id, p, nil, 0, false))
		return
	}
	writeActivity(w, ap.OrderedCollection(id, 0, ""))
}
