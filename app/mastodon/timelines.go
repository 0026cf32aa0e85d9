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
	a.route(mux, "GET /api/v1/timelines/link", anyone, "read read:statuses", a.linkTimeline) // timeline_link.go
}

func (a *API) homeTimeline(c *call) {
	pg := c.page(20, 40)
	c.cachedPage(pg, func() ([]store.StampedEntry, error) {
		return store.HomeStamps(c.ctx(), a.In.DB, c.viewer.ID, pg)
	})
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
	entries := make([]store.HomeEntry, len(posts))
	for k, p := range posts {
		entries[k] = store.HomeEntry{Post: p}
	}
	c.entryPage(entries, nil)
}

// entryPage answers timeline entries (of the home timeline, a list, an
// account) from the render cache, or the failure err: one query stamps
// the page, and only what changed since it was last rendered is loaded.
func (c *call) entryPage(list []store.HomeEntry, err error) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	postIDs := make([]model.ID, 0, len(list))
	var boosters []model.ID
	for _, e := range list {
		postIDs = append(postIDs, e.ID)
		if e.BoostID != 0 {
			boosters = append(boosters, e.BoostedBy)
		}
	}
	st, err := store.PostStamps(c.ctx(), c.api.In.DB, c.viewerID(), postIDs, boosters)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	stamped := make([]store.StampedEntry, 0, len(list))
	for _, e := range list {
		ps, ok := st.Posts[e.ID]
		if !ok {
			continue // deleted since the page was read
		}
		stamped = append(stamped, store.StampedEntry{Key: e.Key(), BoostID: e.BoostID, BoostedBy: e.BoostedBy,
			BoosterV: st.Identities[e.BoostedBy], Filters: st.Filters, PostStamp: ps})
	}
	c.stampedPage(stamped, nil)
}
