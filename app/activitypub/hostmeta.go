package activitypub

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"pukeko/app/hosts"
)

// hostMeta serves the XRD document pointing at webfinger (older servers
// look webfinger up this way); as JSON when the client asks for it.
func (h *Handlers) hostMeta(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("format") == "json" || strings.Contains(r.Header.Get("Accept"), "json") {
		h.hostMetaJSON(w, r)
		return
	}
	template := h.webfingerTemplate(r)
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s"/>
</XRD>
`, html.EscapeString(template))
}

// hostMetaJSON serves host-meta as JRD.
func (h *Handlers) hostMetaJSON(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, "application/jrd+json; charset=utf-8", map[string]any{
		"links": []map[string]string{{"rel": "lrdd", "template": h.webfingerTemplate(r)}},
	})
}

func (h *Handlers) webfingerTemplate(r *http.Request) string {
	return h.In.BaseURL(hosts.Host(r)) + "/.well-known/webfinger?resource={uri}"
}
