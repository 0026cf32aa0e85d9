package activitypub

import (
	"fmt"
	"html"
	"net/http"

	"pukeko/app/model"
)

// writePostPage answers a browser asking for a post: a minimal page with
// the post's content (our own rendered, sanitized HTML) and a link to its
// ActivityPub form. The web UI replaces it.
func writePostPage(w http.ResponseWriter, author *model.Identity, p *model.Post) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Vary", "Accept")
	name := author.Name
	if name == "" {
		name = author.Username
	}
	body := p.Content
	if p.Summary != "" {
		body = "<details><summary>" + html.EscapeString(p.Summary) + "</summary>" + p.Content + "</details>"
	}
	fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>%s (@%s)</title>
<link rel="alternate" type="application/activity+json" href="%s"></head>
<body><article><header><a href="%s">%s</a> @%s · <time datetime="%s">%s</time></header>
%s</article></body></html>
`, html.EscapeString(name), html.EscapeString(author.Handle()), html.EscapeString(p.URI),
		html.EscapeString(author.URL), html.EscapeString(name), html.EscapeString(author.Handle()),
		p.Published.UTC().Format("2006-01-02T15:04:05Z"), p.Published.UTC().Format("2 Jan 2006 15:04"), body)
}
