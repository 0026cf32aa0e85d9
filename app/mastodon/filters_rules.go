package mastodon

import (
	"context"
	"errors"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// The keywords and statuses of v2 filters. Each is reached through its
// filter's owner: another user's are not found.

func (a *API) filterKeywords(c *call) {
	f := c.viewerFilter("filter_id")
	if f == nil {
		return
	}
	out := make([]FilterKeyword, 0, len(f.Keywords))
	for _, k := range f.Keywords {
		out = append(out, renderKeyword(k))
	}
	c.ok(out)
}

// keywordParams applies keyword and whole_word to k; false when the
// answer (422) is sent.
func (c *call) keywordParams(k *model.FilterKeyword) bool {
	if v := c.params.strPtr("keyword"); v != nil {
		k.Keyword = strings.TrimSpace(*v)
	}
	k.WholeWord = c.params.boolean("whole_word", k.WholeWord)
	if k.Keyword == "" {
		c.invalid("Keyword can't be blank")
		return false
	}
	return true
}

func (a *API) filterAddKeyword(c *call) {
	id, ok := pathID(c.r, "filter_id")
	if !ok {
		c.notFound()
		return
	}
	k := &model.FilterKeyword{FilterID: id, WholeWord: true}
	if !c.keywordParams(k) {
		return
	}
	if c.found(store.AddKeyword(c.ctx(), a.In.DB, c.viewer.ID, k)) {
		c.ok(renderKeyword(*k))
	}
}

// viewerKeyword returns the viewer's keyword of the path's id and its
// filter, answering 404 when it is not theirs.
func (c *call) viewerKeyword() (*model.FilterKeyword, *model.Filter) {
	var f *model.Filter
	k := viewerOwn(c, "id", func(ctx context.Context, db store.DB, owner, id model.ID) (*model.FilterKeyword, error) {
		k, filter, err := store.KeywordOf(ctx, db, owner, id)
		f = filter
		return k, err
	})
	if k == nil {
		return nil, nil
	}
	return k, f
}

func (a *API) filterKeywordShow(c *call) {
	if k, _ := c.viewerKeyword(); k != nil {
		c.ok(renderKeyword(*k))
	}
}

func (a *API) filterKeywordUpdate(c *call) {
	k, _ := c.viewerKeyword()
	if k == nil || !c.keywordParams(k) {
		return
	}
	if c.found(store.UpdateKeyword(c.ctx(), a.In.DB, c.viewer.ID, k)) {
		c.ok(renderKeyword(*k))
	}
}

func (a *API) filterKeywordDelete(c *call) {
	c.deleteOwn("id", func(ctx context.Context, db store.DB, owner, id model.ID) (bool, error) {
		return store.DeleteKeyword(ctx, db, owner, id, false)
	})
}

func (a *API) filterStatuses(c *call) {
	f := c.viewerFilter("filter_id")
	if f == nil {
		return
	}
	out := make([]FilterStatus, 0, len(f.Statuses))
	for _, s := range f.Statuses {
		out = append(out, renderFilterStatus(s))
	}
	c.ok(out)
}

// filterAddStatus adds a status to a filter: one the viewer may see.
func (a *API) filterAddStatus(c *call) {
	f := c.viewerFilter("filter_id")
	if f == nil {
		return
	}
	postID := c.params.id("status_id")
	p, err := store.PostByID(c.ctx(), a.In.DB, postID)
	if err != nil {
		a.fail(c, err)
		return
	}
	if p == nil {
		c.invalidAttributes(attrError{"status", "Status", "ERR_BLANK", "must exist"})
		return
	}
	if visible, err := a.In.CanSee(c.ctx(), c.viewer.ID, p); err != nil {
		a.fail(c, err)
		return
	} else if !visible {
		c.invalidAttributes(attrError{"status_id", "Status", "ERR_INVALID", "is invalid"})
		return
	}
	s := &model.FilterStatus{FilterID: f.ID, PostID: p.ID}
	found, err := store.AddFilterStatus(c.ctx(), a.In.DB, c.viewer.ID, s)
	switch {
	case errors.Is(err, store.ErrFilterStatusTaken):
		c.invalidAttributes(attrError{"status_id", "Status", "ERR_TAKEN", "has already been taken"})
		return
	case err != nil:
		a.fail(c, err)
		return
	case !found:
		c.notFound()
		return
	}
	c.ok(renderFilterStatus(*s))
}

// viewerFilterStatus returns the viewer's filter status of the path's id,
// answering 404 when it is not theirs.
func (c *call) viewerFilterStatus() *model.FilterStatus {
	return viewerOwn(c, "id", store.FilterStatusOf)
}

func (a *API) filterStatusShow(c *call) {
	if s := c.viewerFilterStatus(); s != nil {
		c.ok(renderFilterStatus(*s))
	}
}

// filterStatusDelete takes a status out of its filter. Mastodon answers
// {}; the spec documents the FilterStatus, which is what is answered:
// clients ignore the body.
func (a *API) filterStatusDelete(c *call) {
	s := c.viewerFilterStatus()
	if s == nil {
		return
	}
	if c.found(store.DeleteFilterStatus(c.ctx(), a.In.DB, c.viewer.ID, s.ID)) {
		c.ok(renderFilterStatus(*s))
	}
}
