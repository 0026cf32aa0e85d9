package activitypub

import (
	"net/http"
	"net/url"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// webfinger answers /.well-known/webfinger for acct: handles and for actor
// and profile URLs, case-insensitively, for any of the server's domains.
func (h *Handlers) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		http.Error(w, "missing resource", http.StatusBadRequest)
		return
	}
	i, err := h.findResource(r, resource)
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if i == nil {
		notFound(w)
		return
	}
	subject, aliases := "acct:"+i.Handle(), []string{i.URL, i.URI}
	if i.Username == "" { // the system actor
		subject, aliases = "acct:"+h.In.MainDomain+"@"+h.In.MainDomain, []string{i.URI}
	}
	links := []map[string]string{
		{"rel": "self", "type": ap.ContentType, "href": i.URI},
	}
	if i.Username != "" {
		links = append([]map[string]string{{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": i.URL}}, links...)
		links = append(links, map[string]string{"rel": "http://ostatus.org/schema/1.0/subscribe",
			"template": h.In.BaseURL(i.Domain) + "/authorize_interaction?uri={uri}"})
	}
	writeJSON(w, "application/jrd+json; charset=utf-8", map[string]any{
		"subject": subject,
		"aliases": aliases,
		"links":   links,
	})
}

// findResource resolves a webfinger resource to a live local identity.
func (h *Handlers) findResource(r *http.Request, resource string) (*model.Identity, error) {
	ctx := r.Context()
	if strings.HasPrefix(resource, "http://") || strings.HasPrefix(resource, "https://") {
		if i, err := store.IdentityByURI(ctx, h.In.DB, resource); err != nil || (i != nil && i.Local) {
			return liveLocal(i), err
		}
		// A profile URL: https://domain/@user
		u, err := url.Parse(resource)
		if err != nil || !strings.HasPrefix(u.Path, "/@") {
			return nil, nil
		}
		return h.localByHandle(r, strings.TrimPrefix(u.Path, "/@")+"@"+strings.ToLower(u.Hostname()))
	}
	return h.localByHandle(r, resource)
}

// localByHandle finds user@domain among the server's identities; the
// system actor answers to main_domain@main_domain, as Mastodon's does.
func (h *Handlers) localByHandle(r *http.Request, handle string) (*model.Identity, error) {
	username, domain, ok := social.SplitHandle(handle)
	if !ok {
		return nil, nil
	}
	if strings.EqualFold(username, h.In.MainDomain) && domain == h.In.MainDomain {
		return store.SystemIdentity(r.Context(), h.In.DB)
	}
	i, err := store.IdentityByHandle(r.Context(), h.In.DB, username, domain)
	if err != nil {
		return nil, err
	}
	if i == nil {
		// user@service-domain: servers that fetched an actor from its
		// service domain check the handle on that host (Mastodon does).
		i, err = store.IdentityByServiceHandle(r.Context(), h.In.DB, username, domain)
		if err != nil {
			return nil, err
		}
	}
	if i == nil || !i.Local {
		return nil, nil
	}
	return liveLocal(i), nil
}

func liveLocal(i *model.Identity) *model.Identity {
	if i == nil || !i.Local || i.Deleted != nil {
		return nil
	}
	return i
}
