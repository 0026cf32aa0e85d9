package mastodon

import (
	"fmt"
	"html"
	"net/http"

	"pukeko/app/model"
	"pukeko/app/store"
)

// oEmbedWidth and oEmbedHeight size the embedded post's frame, as
// Mastodon's defaults.
const (
	oEmbedWidth  = 400
	oEmbedHeight = 500
)

func (a *API) registerOEmbed(mux Mux) {
	a.route(mux, "GET /api/oembed", anyone, "", a.oEmbed)
}

// oEmbed describes one of our public posts for embedding on other sites
// (oEmbed 1.0, type rich): a frame of the post's page.
func (a *API) oEmbed(c *call) {
	p, err := store.LocalPostByAddress(c.ctx(), a.In.DB, c.params.str("url"))
	if err != nil {
		a.fail(c, err)
		return
	}
	if p == nil || p.Deleted != nil || (p.Visibility != model.VisibilityPublic && p.Visibility != model.VisibilityUnlisted) {
		c.notFound()
		return
	}
	author, err := store.IdentityByID(c.ctx(), a.In.DB, p.AuthorID)
	if err != nil || author == nil {
		if err != nil {
			a.fail(c, err)
			return
		}
		c.notFound()
		return
	}
	width := min(max(c.params.integer("maxwidth", oEmbedWidth), 250), oEmbedWidth)
	frame := fmt.Sprintf(`<iframe src="%s" class="mastodon-embed" style="max-width: 100%%; border: 0" width="%d" height="%d" allowfullscreen="allowfullscreen" sandbox="allow-popups allow-popups-to-escape-sandbox"></iframe>`,
		html.EscapeString(p.URI), width, oEmbedHeight)
	title := "New status by " + author.Username
	writeJSON(c.w, http.StatusOK, map[string]any{
		"type":          "rich",
		"version":       "1.0",
		"title":         title,
		"author_name":   firstNonEmpty(author.Name, author.Username),
		"author_url":    firstNonEmpty(author.URL, author.URI),
		"provider_name": c.host,
		"provider_url":  c.baseURL() + "/",
		"cache_age":     86400,
		"html":          frame,
		"width":         width,
		"height":        nil,
	})
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
