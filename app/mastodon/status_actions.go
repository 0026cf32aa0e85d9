package mastodon

import (
	"errors"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// registerStatusActions adds the endpoints acting on statuses and the
// lists of them: favourites, boosts, bookmarks, pins, thread mutes, who
// favourited and boosted, edit history and source, several statuses at
// once, polls, bookmarks and favourites, notifications, markers, search,
// trends, direct conversations and scheduled statuses.
func (a *API) registerStatusActions(mux Mux) {
	a.route(mux, "POST /api/v1/statuses/{id}/favourite", userToken, "write:favourites", a.favouriteStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/unfavourite", userToken, "write:favourites", a.unfavouriteStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/reblog", userToken, "write:statuses", a.reblogStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/unreblog", userToken, "write:statuses", a.unreblogStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/bookmark", userToken, "write:bookmarks", a.bookmarkStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/unbookmark", userToken, "write:bookmarks", a.unbookmarkStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/pin", userToken, "write:accounts", a.pinStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/unpin", userToken, "write:accounts", a.unpinStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/mute", userToken, "write:mutes", a.muteStatus)
	a.route(mux, "POST /api/v1/statuses/{id}/unmute", userToken, "write:mutes", a.unmuteStatus)
	a.registerStatusLists(mux)
	a.registerPolls(mux)
	a.registerBookmarks(mux)
	a.registerNotifications(mux)
	a.registerGroupedNotifications(mux)
	a.registerMarkers(mux)
	a.registerSearch(mux)
	a.registerTrends(mux)
	a.registerConversations(mux)
	a.registerScheduledStatuses(mux)
}

// actionPost loads the post of the {id} path parameter for an action of
// the viewer. The viewer must be able to see it, except to undo what it
// did (undo: the interaction the viewer has with it, "" for none), which
// stays possible when the post was hidden since. It answers 404 and
// returns nil otherwise.
func (c *call) actionPost(undo string) *model.Post {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return nil
	}
	p, err := store.PostByID(c.ctx(), c.api.In.DB, id)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if p == nil || p.Deleted != nil {
		c.notFound()
		return nil
	}
	visible, err := c.api.In.CanSee(c.ctx(), c.viewerID(), p)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if visible {
		return p
	}
	if undo != "" {
		states, err := store.ViewerStates(c.ctx(), c.api.In.DB, c.viewerID(), []model.ID{p.ID})
		if err != nil {
			c.api.fail(c, err)
			return nil
		}
		st := states[p.ID]
		if (undo == model.InteractionLike && st.Liked) || (undo == model.InteractionBoost && st.Boosted) || (undo == "bookmark" && st.Bookmarked) {
			return p
		}
	}
	c.notFound()
	return nil
}

// answerPost renders a post after an action, with the viewer's thread
// mute.
func (c *call) answerPost(p *model.Post) {
	s, err := c.renderer().one(p)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	if s == nil {
		c.notFound()
		return
	}
	if err := c.markMuted(s); err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(s)
}

// markMuted sets Status.muted (of the status and of the status it boosts)
// from the viewer's thread mutes, in one query: the renderer knows no
// thread mutes.
func (c *call) markMuted(list ...*Status) error {
	if c.viewer == nil || len(list) == 0 {
		return nil
	}
	var ids []model.ID
	for _, s := range list {
		if s.Reblog != nil {
			s = s.Reblog
		}
		if id, ok := idFromString(s.ID); ok {
			ids = append(ids, id)
		}
	}
	muted, err := store.MutedThreadPosts(c.ctx(), c.api.In.DB, c.viewer.ID, ids)
	if err != nil || len(muted) == 0 {
		return err
	}
	t := true
	for _, s := range list {
		inner := s
		if s.Reblog != nil {
			inner = s.Reblog
		}
		if id, ok := idFromString(inner.ID); ok && muted[id] {
			inner.Muted = &t
			s.Muted = &t
		}
	}
	return nil
}

// statusActionError answers the errors of this group's behaviours, and
// the rest as socialError does.
func (c *call) statusActionError(err error) {
	switch {
	case errors.Is(err, social.ErrBoostVisibility):
		c.invalid("Visibility is not included in the list")
	case errors.Is(err, social.ErrConversationNotFound), errors.Is(err, social.ErrScheduledNotFound):
		c.notFound()
	case errors.Is(err, social.ErrScheduleTooSoon):
		c.invalid("Scheduled at The scheduled date must be in the future")
	case errors.Is(err, social.ErrTooManyScheduled):
		c.invalid("%s", err.Error())
	default:
		c.socialError(err)
	}
}

func (a *API) favouriteStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if _, err := a.In.Like(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) unfavouriteStatus(c *call) {
	p := c.actionPost(model.InteractionLike)
	if p == nil {
		return
	}
	if err := a.In.Unlike(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

// reblogStatus boosts a post and answers the boost, wrapping the post, as
// Mastodon does.
func (a *API) reblogStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	vis := c.params.str("visibility")
	it, err := a.In.BoostFor(c.ctx(), c.viewer, p, vis)
	if err != nil {
		c.statusActionError(err)
		return
	}
	if own, err := store.BoostVisibility(c.ctx(), a.In.DB, it.ID); err != nil {
		a.fail(c, err)
		return
	} else if own != "" {
		vis = own
	}
	list, err := c.renderer().statuses([]entry{{Post: p, BoostID: it.ID, BoostedBy: c.viewer.ID}})
	if err != nil {
		a.fail(c, err)
		return
	}
	if len(list) == 0 {
		c.notFound()
		return
	}
	if vis != "" {
		list[0].Visibility = vis
	}
	if err := c.markMuted(list...); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(list[0])
}

// unreblogStatus undoes a boost and answers the boosted post.
func (a *API) unreblogStatus(c *call) {
	p := c.actionPost(model.InteractionBoost)
	if p == nil {
		return
	}
	if err := a.In.Unboost(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) bookmarkStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if err := a.In.Bookmark(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) unbookmarkStatus(c *call) {
	p := c.actionPost("bookmark")
	if p == nil {
		return
	}
	if err := a.In.Unbookmark(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) pinStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if _, err := a.In.Pin(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) unpinStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if err := a.In.Unpin(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

// muteStatus silences the notifications of the post's thread.
func (a *API) muteStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if err := a.In.MuteThread(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}

func (a *API) unmuteStatus(c *call) {
	p := c.actionPost("")
	if p == nil {
		return
	}
	if err := a.In.UnmuteThread(c.ctx(), c.viewer, p); err != nil {
		c.statusActionError(err)
		return
	}
	c.answerPost(p)
}
