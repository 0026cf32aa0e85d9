package activitypub

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/hosts"
	"pukeko/app/model"
	"pukeko/app/store"
)

// identityFromPath finds the local identity a /@user or /@user@domain path
// names; a short handle means the display domain of the request.
func (h *Handlers) identityFromPath(w http.ResponseWriter, r *http.Request) *model.Identity {
	seg := r.PathValue("handle")
	if !strings.HasPrefix(seg, "@") {
		notFound(w)
		return nil
	}
	handle := strings.TrimPrefix(seg, "@")
	if !strings.Contains(handle, "@") {
		handle += "@" + hosts.Domain(r.Context()).Domain
	}
	i, err := h.localByHandle(r, handle)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return nil
	}
	if i == nil {
		notFound(w)
		return nil
	}
	return i
}

// actor serves an identity: its actor document to ActivityPub clients, a
// minimal profile page to browsers (the web UI replaces it).
func (h *Handlers) actor(w http.ResponseWriter, r *http.Request) {
	i := h.identityFromPath(w, r)
	if i == nil {
		return
	}
	if wantsActivity(r) {
		writeActivity(w, ap.RenderActor(i))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	name := i.Name
	if name == "" {
		name = i.Username
	}
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>%s (@%s)</title>
<link rel="alternate" type="application/activity+json" href="%s"></head>
<body><h1>%s</h1><p>@%s</p></body></html>
`, html.EscapeString(name), html.EscapeString(i.Handle()), html.EscapeString(i.URI), html.EscapeString(name), html.EscapeString(i.Handle()))
}

// systemActor serves the server's own actor.
func (h *Handlers) systemActor(w http.ResponseWriter, r *http.Request) {
	i, err := store.SystemIdentity(r.Context(), h.In.DB)
	if err != nil || i == nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	writeActivity(w, ap.RenderActor(i))
}
