package mastodon

import "pukeko/app/store"

// customEmojis lists our emoji offered on the request's domain: those of
// that domain and those of every domain. Stored images are addressed on
// the request's host.
func (a *API) customEmojis(c *call) {
	s, err := c.site()
	if err != nil {
		a.fail(c, err)
		return
	}
	list, err := store.LocalEmojiFor(c.ctx(), a.In.DB, s.domain.Domain)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]CustomEmoji, 0, len(list))
	for _, e := range list {
		u := e.ImageURL
		if e.FileKey != "" && a.In.Media != nil {
			u = a.In.Media.FileURL(c.host, e.FileKey)
		}
		ce := CustomEmoji{Shortcode: e.Shortcode, URL: u, StaticURL: u, VisibleInPicker: e.VisibleInPicker}
		if e.Category != "" {
			category := e.Category
			ce.Category = &category
		}
		out = append(out, ce)
	}
	c.ok(out)
}
