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
	c.keyedPostPage(store.BookmarkPage(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40)))
}

// listFavourites answers the posts the caller likes, the latest like
// first, paged by the like's id.
func (a *API) listFavourites(c *call) {
	c.keyedPostPage(store.FavouritePage(c.ctx(), a.In.DB, c.viewer.ID, c.page(20, 40)))
}

// keyedPostPage answers posts listed by another id, with the Link header
// of those ids (or the failure err).
func (c *call) keyedPostPage(list []store.KeyedPost, err error) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	keyedPage(c, list, func(p store.KeyedPost) (*model.Post, model.ID) { return p.Post, p.Key }, c.renderer().viewerPosts)
}
