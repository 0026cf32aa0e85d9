package activitypub

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"pukeko/app/model"
)

// writeCollectionPage answers a browser asking for a collection: a
// minimal page with its name, description and the featured accounts, and
// a link to its ActivityPub form. The web UI replaces it.
func writeCollectionPage(w http.ResponseWriter, curator *model.Identity, col *model.Collection, items []*model.CollectionItem, members map[model.ID]*model.Identity) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	var list strings.Builder
	for _, it := range items {
		m := members[it.IdentityID]
		name := m.Name
		if name == "" {
			name = m.Username
		}
		href := m.URL
		if href == "" {
			href = m.URI
		}
		fmt.Fprintf(&list, "<li><a href=\"%s\">%s</a> @%s</li>\n", html.EscapeString(href), html.EscapeString(name), html.EscapeString(m.Handle()))
	}
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>%s (@%s)</title>
<link rel="alternate" type="application/activity+json" href="%s"></head>
<body><h1>%s</h1><p>%s</p><p>by <a href="%s">@%s</a></p>
<ul>
%s</ul></body></html>
`, html.EscapeString(col.Name), html.EscapeString(curator.Handle()), html.EscapeString(col.URI),
		html.EscapeString(col.Name), html.EscapeString(col.Description), html.EscapeString(curator.URL),
		html.EscapeString(curator.Handle()), list.String())
}
