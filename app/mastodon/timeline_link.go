package mastodon

import (
	"pukeko/app/cards"
	"pukeko/app/store"
)

// linkTimeline answers the public posts of discoverable accounts showing
// the card of a trending link (the url parameter), newest first. As in
// Mastodon, a URL that is not trending is not found.
func (a *API) linkTimeline(c *call) {
	card, err := store.PreviewCardByURL(c.ctx(), a.In.DB, c.linkURL())
	if err != nil {
		a.fail(c, err)
		return
	}
	if card == nil {
		c.notFound()
		return
	}
	trending, err := store.IsTrendingLink(c.ctx(), a.In.DB, card.ID, a.Options.Links.since(), a.Options.Links.MinAccounts)
	if err != nil {
		a.fail(c, err)
		return
	}
	if !trending {
		c.notFound()
		return
	}
	posts, err := store.LinkTimeline(c.ctx(), a.In.DB, card.ID, c.viewerID(), c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.postPage(posts)
}

// linkURL is the url parameter as cards are keyed: normalized the way
// links are when their card is made, so that "HTTPS://Example.com" finds
// the card of "https://example.com/".
func (c *call) linkURL() string {
	raw := c.params.str("url")
	if u, ok := cards.NormalizeURL(raw); ok {
		return u
	}
	return raw
}
