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
	items, more, err := uriPage(page(r.Context(), h.In.DB, i.ID, pageSize+1, (p-1)*pageSize))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	writeActivity(w, ap.OrderedCollectionPage(id, p, items, total, more))
}

// outbox serves the identity's public and unlisted posts as Create
// activities, newest first, paged like the follower lists.
func (h *Handlers) outbox(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	ctx := r.Context()
	total, err := store.OutboxCount(ctx, h.In.DB, i.ID)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	p, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if p > maxPage {
		p = maxPage
	}
	if p < 1 {
		first := i.OutboxURI + "?page=1"
		if total == 0 {
			first = ""
		}
		writeActivity(w, ap.OrderedCollection(i.OutboxURI, total, first))
		return
	}
	posts, err := store.OutboxPosts(ctx, h.In.DB, i.ID, pageSize+1, (p-1)*pageSize)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	more := len(posts) > pageSize
	if more {
		posts = posts[:pageSize]
	}
	mentions, err := h.mentionsOf(ctx, posts)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	items := make([]any, len(posts))
	for k, post := range posts {
		note, err := h.In.RenderPost(ctx, post, i, mentions(post))
		if err != nil {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		a := ap.PostActivity("Create", post.URI+"/activity", i.URI, note)
		delete(a, "@context")
		items[k] = a
	}
	writeActivity(w, ap.OrderedCollectionPage(i.OutboxURI, p, items, total, more))
}

// mentionsOf loads the identities the posts mention, in one query, and
// returns a lookup of each post's mentions.
func (h *Handlers) mentionsOf(ctx context.Context, posts []*model.Post) (func(*model.Post) []*model.Identity, error) {
	var ids []model.ID
	for _, p := range posts {
		ids = append(ids, p.Mentions...)
	}
	found, err := store.IdentitiesByIDs(ctx, h.In.DB, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[model.ID]*model.Identity, len(found))
	for _, i := range found {
		byID[i.ID] = i
	}
	return func(p *model.Post) []*model.Identity {
		var out []*model.Identity
		for _, id := range p.Mentions {
			if i := byID[id]; i != nil {
				out = append(out, i)
			}
		}
		return out
	}, nil
}

// post serves one post as its ActivityPub object: public and unlisted
// posts to anyone, deleted ones as gone, others as not found (signed
// fetches by their audience come later).
func (h *Handlers) post(w http.ResponseWriter, r *http.Request) {
	i, post := h.servablePost(w, r)
	if post == nil {
		return
	}
	if !wantsActivity(r) {
		writePostPage(w, i, post)
		return
	}
	mentions, err := h.mentionsOf(r.Context(), []*model.Post{post})
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	note, err := h.In.RenderPost(r.Context(), post, i, mentions(post))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	writeActivity(w, ap.WithContext(note))
}

// featured serves the identity's pinned posts, the latest pin first,
// embedded as Mastodon serves them (a handful: no pages). Only public and
// unlisted posts are listed.
func (h *Handlers) featured(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	pinned, err := store.PinnedPosts(r.Context(), h.In.DB, i.ID)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	var posts []*model.Post
	for _, p := range pinned {
		if p.Visibility == model.VisibilityPublic || p.Visibility == model.VisibilityUnlisted {
			posts = append(posts, p)
		}
	}
	mentions, err := h.mentionsOf(r.Context(), posts)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	items := make([]any, len(posts))
	for k, p := range posts {
		note, err := h.In.RenderPost(r.Context(), p, i, mentions(p))
		if err != nil {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		items[k] = note
	}
	c := ap.OrderedCollection(i.FeaturedURI, len(items), "")
	c["orderedItems"] = items
	writeActivity(w, c)
}

func (h *Handlers) emptyCollection(w http.ResponseWriter, r *http.Request, id string) {
	if p, _ := strconv.Atoi(r.URL.Query().Get("page")); p >= 1 {
		writeActivity(w, ap.OrderedCollectionPage(id, p, nil, 0, false))
		return
	}
	writeActivity(w, ap.OrderedCollection(id, 0, ""))
}

// servablePost resolves /{handle}/posts/{id} to one of our posts that the
// fetcher (fetchReader: the signer, or a logged-out reader) may see; otherwise it answers (404, 410 for a deleted
// public post, 503) and returns a nil post. Local-only posts never leave
// this server.
func (h *Handlers) servablePost(w http.ResponseWriter, r *http.Request) (*model.Identity, *model.Post) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return nil, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		notFound(w)
		return nil, nil
	}
	post, err := store.PostByID(r.Context(), h.In.DB, model.ID(id))
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, nil
	}
	if post == nil || post.AuthorID != i.ID || !post.Local || post.Visibility == model.VisibilityLocal {
		notFound(w)
		return nil, nil
	}
	if post.Deleted != nil && (post.Visibility == model.VisibilityPublic || post.Visibility == model.VisibilityUnlisted) {
		http.Error(w, "gone", http.StatusGone)
		return nil, nil
	}
	reader, signed := h.fetchReader(r)
	if !signed {
		w.Header().Set("WWW-Authenticate", `Signature realm="pukeko",headers="(request-target) host date"`)
		http.Error(w, "signature not verified", http.StatusUnauthorized)
		return nil, nil
	}
	if ok, err := h.In.CanSee(r.Context(), reader, post); err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil, nil
	} else if !ok {
		notFound(w)
		return nil, nil
	}
	if post.Visibility != model.VisibilityPublic && post.Visibility != model.VisibilityUnlisted {
		// Served to this fetcher alone: no shared cache may keep it.
		w.Header().Set("Cache-Control", "private")
		w.Header().Add("Vary", "Signature, Signature-Input, Authorization")
	}
	return i, post
}

// uriPage turns a page of URIs fetched with one extra row (pageSize+1)
// into collection items, and whether a next page exists.
func uriPage(uris []string, err error) ([]any, bool, error) {
	if err != nil {
		return nil, false, err
	}
	more := len(uris) > pageSize
	if more {
		uris = uris[:pageSize]
	}
	items := make([]any, len(uris))
	for k, u := range uris {
		items[k] = u
	}
	return items, more, nil
}
