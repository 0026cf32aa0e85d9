package mastodon

import (
	"pukeko/app/model"
	"pukeko/app/store"
)

func (a *API) registerBookmarks(mux Mux) {
	a.route(mux, "GET /api/v1/bookmarks", userToken, "read:bookmarks", a.listBookmarks)
	a.route(mux, "GET /api/v1/favourites", userToken, "read:favourites", a.listFavourites)
}

// listBookmarks answers the caller's bookmarks, the latest first, paged by
// the bookmark's id as Mastodon pages them.
func (a *API) listBookmarks(c *call) {
	list, err := store.BookmarkPage(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.keyedPostPage(list)
}

// listFavourites answers the posts the caller likes, the latest like
// first, paged by the like's id.
func (a *API) listFavourites(c *call) {
	list, err := store.FavouritePage(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	c.keyedPostPage(list)
}

// keyedPostPage answers posts listed by another id, with the Link header
// of those ids.
func (c *call) keyedPostPage(list []store.KeyedPost) {
	posts := make([]*model.Post, len(list))
	for k, p := range list {
		posts[k] = p.Post
	}
	out, err := c.renderer().posts(posts)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	if err := c.markMuted(out...); err != nil {
		c.api.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].Key), idStr(list[n-1].Key))
	}
	c.ok(out)
}
