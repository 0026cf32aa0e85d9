package mastodon

import (
	"fmt"
	"strconv"
	"time"

	"pukeko/app/social"
	"pukeko/app/store"
)

// trendingPostsWindow is how far back trending posts are picked.
const trendingPostsWindow = 2 * social.TrendingWindow

func (a *API) registerTrends(mux Mux) {
	a.route(mux, "GET /api/v1/trends/tags", anyone, "", a.trendingTags)
	a.route(mux, "GET /api/v1/trends", anyone, "", a.trendingTags) // Mastodon's older name
	a.route(mux, "GET /api/v1/trends/statuses", anyone, "", a.trendingStatuses)
	a.route(mux, "GET /api/v1/trends/links", anyone, "", a.trendingLinks)
}

// offsetPage reads limit (def, at most max) and offset.
func (c *call) offsetPage(def, max int) (limit, offset int) {
	limit = c.params.integer("limit", def)
	if limit <= 0 {
		limit = def
	}
	return min(limit, max), nonNegative(c.params.integer("offset", 0))
}

func nonNegative(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// offsetLink sets the Link header of a page read by offset: next when
// the page is full, prev when it is not the first.
func (c *call) offsetLink(offset, limit, got int) {
	base := c.baseURL() + c.r.URL.Path
	at := func(off int) string {
		q := cloneValues(c.r.URL.Query())
		q.Set("offset", strconv.Itoa(off))
		return base + "?" + q.Encode()
	}
	var links []string
	if got >= limit {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, at(offset+limit)))
	}
	if offset > 0 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, at(nonNegative(offset-limit))))
	}
	if len(links) > 0 {
		h := links[0]
		if len(links) > 1 {
			h += ", " + links[1]
		}
		c.w.Header().Set("Link", h)
	}
}

// trendingTags answers the tags most distinct authors used in public
// posts over the last day.
func (a *API) trendingTags(c *call) {
	limit, offset := c.offsetPage(10, 20)
	trending, err := store.TrendingHashtagsPage(c.ctx(), a.In.DB, time.Now().Add(-social.TrendingWindow), limit, offset)
	if err != nil {
		a.fail(c, err)
		return
	}
	names := make([]string, len(trending))
	for k, t := range trending {
		names[k] = t.Name
	}
	out, err := c.hashtags(names)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.offsetLink(offset, limit, len(out))
	c.ok(out)
}

// trendingStatuses answers the recent public posts with the most
// interactions, as the caller may see them.
func (a *API) trendingStatuses(c *call) {
	limit, offset := c.offsetPage(20, 40)
	posts, err := store.TrendingPosts(c.ctx(), a.In.DB, c.viewerID(), time.Now().Add(-trendingPostsWindow), limit, offset)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderer().viewerPosts(posts)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.offsetLink(offset, limit, len(posts))
	c.ok(out)
}
