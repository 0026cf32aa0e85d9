package mastodon

import (
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

func (a *API) registerTimelines(mux Mux) {
	a.route(mux, "GET /api/v1/timelines/home", userToken, "read read:statuses", a.homeTimeline)
	a.route(mux, "GET /api/v1/timelines/public", anyone, "read read:statuses", a.publicTimeline)
	a.route(mux, "GET /api/v1/timelines/tag/{hashtag}", anyone, "read read:statuses", a.tagTimeline)
}

func (a *API) homeTimeline(c *call) {
	c.stampedPage(store.HomeStamps(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40)))
}

func (a *API) publicTimeline(c *call) {
	local, remote := c.params.boolean("local", false), c.params.boolean("remote", false)
	var posts []*model.Post
	var err error
	pg := c.page(20, 40)
	if local && !c.params.boolean("only_media", false) {
		// The local timeline is the request's domain's, as in Takahē.
		posts, err = store.LocalTimeline(c.ctx(), a.In.DB, c.host, c.viewerID(), pg)
	} else {
		posts, err = store.FederatedTimeline(c.ctx(), a.In.DB, c.viewerID(), store.FederatedOptions{
			Local: local, Remote: remote, OnlyMedia: c.params.boolean("only_media", false),
		}, pg)
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	c.postPage(posts)
}

func (a *API) tagTimeline(c *call) {
	tag := strings.TrimPrefix(c.r.PathValue("hashtag"), "#")
	posts, err := store.HashtagTimeline(c.ctx(), a.In.DB, tag, c.viewerID(), c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.postPage(posts)
}

// postPage renders a page of posts with its Link header.
func (c *call) postPage(posts []*model.Post) {
	entries := make([]entry, len(posts))
	for k, p := range posts {
		entries[k] = entry{Post: p}
	}
	c.statusPage(entries, func(k int) model.ID { return posts[k].ID })
}

// entryPage answers timeline entries (of the home timeline, a list, an
// account) as statusPage does, or the failure err.
func (c *call) entryPage(list []store.HomeEntry, err error) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	entries := make([]entry, len(list))
	for k, e := range list {
		entries[k] = entry{Post: e.Post, BoostID: e.BoostID, BoostedBy: e.BoostedBy}
	}
	c.statusPage(entries, func(k int) model.ID { return list[k].Key() })
}

// statusPage renders entries (newest first) with the Link header built
// from their page keys.
func (c *call) statusPage(entries []entry, key func(int) model.ID) {
	rd := c.renderer()
	out, err := rd.statuses(entries)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	// Statuses a "hide" filter matches leave the page; the Link header
	// still follows the whole page, so paging moves past them.
	shown := out[:0]
	for _, s := range out {
		if !rd.hidden(s) {
			shown = append(shown, s)
		}
	}
	if n := len(entries); n > 0 {
		c.link(idStr(key(0)), idStr(key(n-1)))
	}
	c.ok(shown)
}
