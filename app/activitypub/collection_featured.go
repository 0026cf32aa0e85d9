package activitypub

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// featuredCollectionContext is the JSON-LD context of a collection:
// ActivityStreams, FEP-7aa9's vocabulary (FeaturedCollection,
// FeaturedItem, featuredObject, topic) and the terms Mastodon adds.
var featuredCollectionContext = []any{
	"https://www.w3.org/ns/activitystreams",
	"https://w3id.org/fep/7aa9",
	map[string]any{
		"sensitive":    "as:sensitive",
		"Hashtag":      "as:Hashtag",
		"toot":         "http://joinmastodon.org/ns#",
		"discoverable": "toot:discoverable",
	},
}

// featuredCollection serves /{handle}/collections/{id}: one of the
// identity's collections as a FeaturedCollection (an OrderedCollection of
// FeaturedItems naming the featured actors) to ActivityPub clients, a
// minimal page to browsers. Only accepted items of live accounts are
// listed, as Mastodon federates them.
func (h *Handlers) featuredCollection(w http.ResponseWriter, r *http.Request) {
	curator, col, items, members := h.servableCollection(w, r)
	if col == nil {
		return
	}
	if !wantsActivity(r) {
		writeCollectionPage(w, curator, col, items, members)
		return
	}
	ordered := make([]any, 0, len(items))
	for _, it := range items {
		ordered = append(ordered, featuredItem(col, it, members[it.IdentityID]))
	}
	c := map[string]any{
		"@context":     featuredCollectionContext,
		"id":           col.URI,
		"type":         "FeaturedCollection",
		"name":         col.Name,
		"summary":      col.Description,
		"attributedTo": curator.URI,
		"sensitive":    col.Sensitive,
		"discoverable": col.Discoverable,
		"published":    col.Created.UTC().Format(time.RFC3339),
		"updated":      col.Updated.UTC().Format(time.RFC3339),
		"totalItems":   len(ordered),
		"orderedItems": ordered,
	}
	if col.URL != "" {
		c["url"] = col.URL
	}
	if col.Language != "" {
		c["summaryMap"] = map[string]string{col.Language: col.Description}
	}
	if col.Tag != "" {
		c["topic"] = map[string]any{"type": "Hashtag", "name": "#" + col.Tag, "href": tagURL(curator, col.Tag)}
	}
	writeActivity(w, c)
}

// featuredCollectionItem serves /{handle}/collections/{id}/items/{item}:
// one accepted item of a collection as its FeaturedItem.
func (h *Handlers) featuredCollectionItem(w http.ResponseWriter, r *http.Request) {
	_, col, items, members := h.servableCollection(w, r)
	if col == nil {
		return
	}
	want, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil {
		notFound(w)
		return
	}
	for _, it := range items {
		if it.ID == model.ID(want) {
			item := featuredItem(col, it, members[it.IdentityID])
			item["@context"] = featuredCollectionContext
			writeActivity(w, item)
			return
		}
	}
	notFound(w)
}

// servableCollection resolves /{handle}/collections/{id} to a local
// collection of that identity, its accepted items and their accounts;
// otherwise it answers (404, 401 for a signature that does not verify,
// 503) and returns a nil collection. A fetcher the curator blocks is told
// there is no such collection.
func (h *Handlers) servableCollection(w http.ResponseWriter, r *http.Request) (*model.Identity, *model.Collection, []*model.CollectionItem, map[model.ID]*model.Identity) {
	curator := h.identityFromPath(w, r)
	if curator == nil {
		return nil, nil, nil, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		notFound(w)
		return nil, nil, nil, nil
	}
	ctx := r.Context()
	col, err := store.CollectionByID(ctx, h.In.DB, model.ID(id))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, nil, nil, nil
	}
	if col == nil || col.IdentityID != curator.ID || !col.Local {
		notFound(w)
		return nil, nil, nil, nil
	}
	reader, ok := h.fetchReader(r)
	if !ok {
		http.Error(w, "signature not verified", http.StatusUnauthorized)
		return nil, nil, nil, nil
	}
	if reader != 0 && reader != curator.ID {
		blocked, err := store.BlockingOrDomainBlocking(ctx, h.In.DB, curator.ID, reader)
		if err != nil {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return nil, nil, nil, nil
		}
		if blocked {
			notFound(w)
			return nil, nil, nil, nil
		}
	}
	byCollection, err := store.VisibleCollectionItems(ctx, h.In.DB, 0, []model.ID{col.ID})
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, nil, nil, nil
	}
	items := byCollection[col.ID]
	ids := make([]model.ID, len(items))
	for k, it := range items {
		ids[k] = it.IdentityID
	}
	found, err := store.IdentitiesByIDs(ctx, h.In.DB, ids)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, nil, nil, nil
	}
	members := make(map[model.ID]*model.Identity, len(found))
	for _, i := range found {
		members[i.ID] = i
	}
	// Items whose account vanished between the two queries are left out.
	kept := items[:0]
	for _, it := range items {
		if members[it.IdentityID] != nil {
			kept = append(kept, it)
		}
	}
	return curator, col, kept, members
}

// featuredItem renders one item: FEP-7aa9's FeaturedItem, whose
// featuredObject is the featured actor.
func featuredItem(col *model.Collection, it *model.CollectionItem, member *model.Identity) map[string]any {
	typ := member.ActorType
	if typ == "" {
		typ = "Person"
	}
	return map[string]any{
		"id":                 col.URI + "/items/" + strconv.FormatInt(int64(it.ID), 10),
		"type":               "FeaturedItem",
		"featuredObject":     member.URI,
		"featuredObjectType": typ,
	}
}

// tagURL is the page of a hashtag on the curator's display domain.
func tagURL(curator *model.Identity, tag string) string {
	u, err := url.Parse(curator.URL)
	if err != nil || u.Host == "" {
		u, _ = url.Parse(curator.URI)
	}
	return u.Scheme + "://" + u.Host + "/tags/" + url.PathEscape(tag)
}
