package activitypub

import (
	"net/http"

	"pukeko/app/buildinfo"
	"pukeko/app/hosts"
	"pukeko/app/model"
	"pukeko/app/store"
)

// nodeinfoLinks serves /.well-known/nodeinfo, pointing at both versions on
// the host asked.
func (h *Handlers) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	base := h.In.BaseURL(hosts.Host(r))
	writeJSON(w, "application/json", map[string]any{
		"links": []map[string]string{
			{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": base + "/nodeinfo/2.0"},
			{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": base + "/nodeinfo/2.1"},
		},
	})
}

// nodeinfo serves the document of one version, describing the domain the
// request was made for: its name, its users, whether it takes signups.
func (h *Handlers) nodeinfo(version string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := hosts.Domain(r.Context())
		users, err := store.LocalIdentityCount(r.Context(), h.In.DB, d.Domain)
		if err != nil {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		software := map[string]any{"name": "pukeko", "version": buildinfo.Version}
		if version == "2.1" {
			software["homepage"] = h.In.BaseURL(h.In.MainDomain) + "/about"
		}
		writeJSON(w, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/`+version+`#"`, map[string]any{
			"version":           version,
			"software":          software,
			"protocols":         []string{"activitypub"},
			"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
			"openRegistrations": d.SignupPolicy == model.SignupOpen || d.SignupPolicy == model.SignupApproval,
			"usage":             map[string]any{"users": map[string]any{"total": users}},
			"metadata": map[string]any{
				"nodeName": d.SiteName,
			},
		})
	}
}
