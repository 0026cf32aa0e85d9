package mastodon

import (
	"errors"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// List is Mastodon's List.
type List struct {
	ID            string `json:"id"`
	Title         string `json:"title"`
	RepliesPolicy string `json:"replies_policy"`
	Exclusive     bool   `json:"exclusive"`
}

func renderList(l *model.List) List {
	return List{ID: idStr(l.ID), Title: l.Title, RepliesPolicy: l.RepliesPolicy, Exclusive: l.Exclusive}
}

func renderLists(lists []*model.List) []List {
	out := make([]List, 0, len(lists))
	for _, l := range lists {
		out = append(out, renderList(l))
	}
	return out
}

func (a *API) registerLists(mux Mux) {
	const read, write = "read read:lists", "write write:lists"
	a.route(mux, "GET /api/v1/lists", userToken, read, a.listsIndex)
	a.route(mux, "POST /api/v1/lists", userToken, write, a.listCreate)
	a.route(mux, "GET /api/v1/lists/{id}", userToken, read, a.listShow)
	a.route(mux, "PUT /api/v1/lists/{id}", userToken, write, a.listUpdate)
	a.route(mux, "DELETE /api/v1/lists/{id}", userToken, write, a.listDelete)
	a.route(mux, "GET /api/v1/lists/{id}/accounts", userToken, read, a.listMembers)
	a.route(mux, "POST /api/v1/lists/{id}/accounts", userToken, write, a.listAddMembers)
	a.route(mux, "DELETE /api/v1/lists/{id}/accounts", userToken, write, a.listRemoveMembers)
	a.route(mux, "GET /api/v1/accounts/{id}/lists", userToken, read, a.listsWithAccount)
	a.route(mux, "GET /api/v1/timelines/list/{list_id}", userToken, read, a.listTimeline)
}

// viewerList returns the viewer's list named by the path parameter name,
// answering 404 when it is not theirs.
func (c *call) viewerList(name string) *model.List {
	return viewerOwn(c, name, store.ListOf)
}

func (a *API) listsIndex(c *call) {
	lists, err := store.ListsOf(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderLists(lists))
}

// applyListParams sets what the request gives of title, replies_policy
// and exclusive; false when the answer (422) is sent.
func (c *call) applyListParams(l *model.List) bool {
	if t := c.params.strPtr("title"); t != nil {
		l.Title = strings.TrimSpace(*t)
	}
	if p := c.params.strPtr("replies_policy"); p != nil && *p != "" {
		l.RepliesPolicy = *p
	}
	l.Exclusive = c.params.boolean("exclusive", l.Exclusive)
	switch {
	case l.Title == "":
		c.invalid("Title can't be blank")
		return false
	case l.RepliesPolicy != model.RepliesFollowed && l.RepliesPolicy != model.RepliesList && l.RepliesPolicy != model.RepliesNone:
		c.invalid("Replies policy is not included in the list")
		return false
	}
	return true
}

func (a *API) listCreate(c *call) {
	l := &model.List{IdentityID: c.viewer.ID, RepliesPolicy: model.RepliesList}
	if !c.applyListParams(l) {
		return
	}
	err := store.CreateList(c.ctx(), a.In.DB, l)
	if errors.Is(err, store.ErrTooManyLists) {
		c.invalid("You have reached the maximum number of lists")
		return
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderList(l))
}

func (a *API) listShow(c *call) {
	if l := c.viewerList("id"); l != nil {
		c.ok(renderList(l))
	}
}

func (a *API) listUpdate(c *call) {
	l := c.viewerList("id")
	if l == nil || !c.applyListParams(l) {
		return
	}
	if err := store.UpdateList(c.ctx(), a.In.DB, l); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderList(l))
}

func (a *API) listDelete(c *call) { c.deleteOwn("id", store.DeleteList) }

// listTimeline serves a list's timeline: what the owner's home timeline
// holds of the members, as the list's replies policy allows.
func (a *API) listTimeline(c *call) {
	l := c.viewerList("list_id")
	if l == nil {
		return
	}
	c.entryPage(store.ListEntries(c.ctx(), a.In.DB, l, c.page(20, 40)))
}
