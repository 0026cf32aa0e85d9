package activitypub

import (
	"net/http"
	"strconv"

	"pukeko/app/ap"
	"pukeko/app/store"
)

// replies serves a post's replies collection: the public and unlisted
// replies known here, oldest first, so other servers can fill in a thread.
func (h *Handlers) replies(w http.ResponseWriter, r *http.Request) {
	_, post := h.servablePost(w, r)
	if post == nil {
		return
	}
	collection := post.URI + "/replies"
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p < 1 {
		c := ap.OrderedCollection(collection, 0, collection+"?page=1")
		c["type"] = "Collection"
		delete(c, "totalItems")
		writeActivity(w, c)
		return
	}
	p = min(p, maxPage)
	items, more, err := uriPage(store.PublicReplyURIs(r.Context(), h.In.DB, post.ID, pageSize+1, (p-1)*pageSize))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	page := ap.OrderedCollectionPage(collection, p, items, len(items), more)
	page["type"] = "CollectionPage"
	page["items"] = page["orderedItems"]
	delete(page, "orderedItems")
	delete(page, "totalItems")
	writeActivity(w, page)
}
