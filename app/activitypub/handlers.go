package activitypub

import (
	"encoding/json"
	"net/http"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/social"
)

// Handlers serves the ActivityPub and discovery routes.
type Handlers struct {
	In *social.Instance
	// Inbox receives verified activities; nil until the inbox is wired.
	Inbox http.Handler
}

// Mux is where routes are registered (http.ServeMux, server.Server).
type Mux interface {
	HandleFunc(pattern string, h http.HandlerFunc)
	Handle(pattern string, h http.Handler)
}

// Register adds every route.
func (h *Handlers) Register(mux Mux) {
	mux.HandleFunc("GET /.well-known/webfinger", h.webfinger)
	mux.HandleFunc("GET /.well-known/host-meta", h.hostMeta)
	mux.HandleFunc("GET /.well-known/host-meta.json", h.hostMetaJSON)
	mux.HandleFunc("GET /.well-known/nodeinfo", h.nodeinfoLinks)
	mux.HandleFunc("GET /nodeinfo/2.0", h.nodeinfo("2.0"))
	mux.HandleFunc("GET /nodeinfo/2.1", h.nodeinfo("2.1"))
	mux.HandleFunc("GET /actor", h.systemActor)
	mux.HandleFunc("GET /{handle}", h.actor)
	mux.HandleFunc("GET /{handle}/outbox", h.outbox)
	mux.HandleFunc("GET /{handle}/posts/{id}", h.post)
	mux.HandleFunc("GET /{handle}/posts/{id}/replies", h.replies)
	mux.HandleFunc("GET /{handle}/followers", h.followers)
	mux.HandleFunc("GET /{handle}/following", h.following)
	mux.HandleFunc("GET /{handle}/featured", h.featured)
	mux.HandleFunc("GET /{handle}/collections/{id}", h.featuredCollection)
	mux.HandleFunc("GET /{handle}/collections/{id}/items/{item}", h.featuredCollectionItem)
	mux.HandleFunc("GET /{handle}/quote_authorizations/{id}", h.quoteAuthorization)
	if h.Inbox != nil {
		mux.Handle("POST /inbox", h.Inbox)
		mux.Handle("POST /actor/inbox", h.Inbox)
		mux.Handle("POST /{handle}/inbox", h.Inbox)
	}
}

// wantsActivity reports whether the client asked for ActivityPub JSON.
func wantsActivity(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/activity+json") ||
		strings.Contains(accept, "application/ld+json")
}

// writeActivity answers with an ActivityPub document.
func writeActivity(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", ap.ContentType+"; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	w.Header().Set("Cache-Control", "max-age=60")
	json.NewEncoder(w).Encode(v)
}

// writeJSON answers with a JSON document of type contentType, readable by
// web pages of other origins (discovery documents are public).
func writeJSON(w http.ResponseWriter, contentType string, v any) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	json.NewEncoder(w).Encode(v)
}

func notFound(w http.ResponseWriter) { http.Error(w, "not found", http.StatusNotFound) }
