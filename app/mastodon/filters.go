package mastodon

import (
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

func (a *API) registerFilters(mux Mux) {
	const read, write = "read read:filters", "write write:filters"
	a.route(mux, "GET /api/v2/filters", userToken, read, a.filtersIndex)
	a.route(mux, "POST /api/v2/filters", userToken, write, a.filterCreate)
	a.route(mux, "GET /api/v2/filters/{id}", userToken, read, a.filterShow)
	a.route(mux, "PUT /api/v2/filters/{id}", userToken, write, a.filterUpdate)
	a.route(mux, "DELETE /api/v2/filters/{id}", userToken, write, a.filterDelete)
	// GET /api/v2/filters/{filter_id}/keywords and GET
	// /api/v2/filters/keywords/{id} (and the same of statuses) overlap
	// where ServeMux cannot rank them: one pattern serves all four.
	a.route(mux, "GET /api/v2/filters/{first}/{second}", userToken, read, a.filterSubresource)
	a.route(mux, "POST /api/v2/filters/{filter_id}/keywords", userToken, write, a.filterAddKeyword)
	a.route(mux, "PUT /api/v2/filters/keywords/{id}", userToken, write, a.filterKeywordUpdate)
	a.route(mux, "DELETE /api/v2/filters/keywords/{id}", userToken, write, a.filterKeywordDelete)
	a.route(mux, "POST /api/v2/filters/{filter_id}/statuses", userToken, write, a.filterAddStatus)
	a.route(mux, "DELETE /api/v2/filters/statuses/{id}", userToken, write, a.filterStatusDelete)

	a.route(mux, "GET /api/v1/filters", userToken, read, a.v1FiltersIndex)
	a.route(mux, "POST /api/v1/filters", userToken, write, a.v1FilterCreate)
	a.route(mux, "GET /api/v1/filters/{id}", userToken, read, a.v1FilterShow)
	a.route(mux, "PUT /api/v1/filters/{id}", userToken, write, a.v1FilterUpdate)
	a.route(mux, "DELETE /api/v1/filters/{id}", userToken, write, a.v1FilterDelete)
}

// filterSubresource serves GET /api/v2/filters/keywords/{id},
// /statuses/{id}, /{filter_id}/keywords and /{filter_id}/statuses.
func (a *API) filterSubresource(c *call) {
	first, second := c.r.PathValue("first"), c.r.PathValue("second")
	switch {
	case first == "keywords":
		c.r.SetPathValue("id", second)
		a.filterKeywordShow(c)
	case first == "statuses":
		c.r.SetPathValue("id", second)
		a.filterStatusShow(c)
	case second == "keywords":
		c.r.SetPathValue("filter_id", first)
		a.filterKeywords(c)
	case second == "statuses":
		c.r.SetPathValue("filter_id", first)
		a.filterStatuses(c)
	default:
		c.notFound()
	}
}

// viewerFilter returns the viewer's filter named by the path parameter
// name, answering 404 when it is not theirs.
func (c *call) viewerFilter(name string) *model.Filter {
	return viewerOwn(c, name, store.FilterOf)
}

// answerFilter reloads a filter of the viewer and answers it whole.
func (c *call) answerFilter(id model.ID) {
	if f := viewerOwnID(c, id, store.FilterOf); f != nil {
		c.ok(renderFilter(f, true))
	}
}

func (a *API) filtersIndex(c *call) {
	filters, err := store.FiltersOf(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]Filter, 0, len(filters))
	for _, f := range filters {
		out = append(out, renderFilter(f, true))
	}
	c.ok(out)
}

func (a *API) filterShow(c *call) {
	if f := c.viewerFilter("id"); f != nil {
		c.ok(renderFilter(f, true))
	}
}

func (a *API) filterCreate(c *call) {
	p, problems := c.readFilterParams("title")
	f := &model.Filter{IdentityID: c.viewer.ID, Action: model.FilterWarn}
	if p.title == nil || *p.title == "" {
		problems = append([]string{"Title can't be blank"}, problems...)
	} else {
		f.Title = *p.title
	}
	if p.context == nil {
		problems = append(problems, "Context can't be blank", "Context None or invalid context supplied")
	} else {
		f.Context = *p.context
	}
	if p.action != nil {
		f.Action = *p.action
	}
	if p.expires != nil {
		f.Expires = *p.expires
	}
	for _, ka := range c.keywordsAttributes() {
		if ka.destroy {
			continue
		}
		k := model.FilterKeyword{WholeWord: true}
		if !ka.apply(&k) {
			problems = append(problems, "Keywords keyword can't be blank")
			break
		}
		f.Keywords = append(f.Keywords, k)
	}
	if len(problems) > 0 {
		c.invalid("%s", strings.Join(problems, ", "))
		return
	}
	if err := store.CreateFilter(c.ctx(), a.In.DB, f); err != nil {
		a.fail(c, err)
		return
	}
	c.answerFilter(f.ID)
}

// filterUpdate changes the fields given, and the keywords of
// keywords_attributes: with an id, that keyword is changed (or deleted
// with _destroy); without, one is added.
func (a *API) filterUpdate(c *call) {
	f := c.viewerFilter("id")
	if f == nil {
		return
	}
	p, problems := c.readFilterParams("title")
	if p.title != nil && *p.title == "" {
		problems = append([]string{"Title can't be blank"}, problems...)
	}
	ch := store.FilterChange{Title: p.title, Context: p.context, Action: p.action, Expires: p.expires}
	for _, ka := range c.keywordsAttributes() {
		if ka.id == "" {
			if ka.destroy {
				continue
			}
			k := model.FilterKeyword{WholeWord: true}
			if !ka.apply(&k) {
				problems = append(problems, "Keywords keyword can't be blank")
				continue
			}
			ch.AddKeywords = append(ch.AddKeywords, k)
			continue
		}
		id, _ := strconv.ParseInt(ka.id, 10, 64)
		var old *model.FilterKeyword
		for n := range f.Keywords {
			if f.Keywords[n].ID == model.ID(id) {
				old = &f.Keywords[n]
			}
		}
		if old == nil {
			c.notFound() // Rails answers an unknown nested id so
			return
		}
		if ka.destroy {
			ch.DeleteKeywords = append(ch.DeleteKeywords, old.ID)
			continue
		}
		k := *old
		if !ka.apply(&k) {
			problems = append(problems, "Keywords keyword can't be blank")
			continue
		}
		ch.UpdateKeywords = append(ch.UpdateKeywords, k)
	}
	if len(problems) > 0 {
		c.invalid("%s", strings.Join(problems, ", "))
		return
	}
	if c.found(store.UpdateFilter(c.ctx(), a.In.DB, c.viewer.ID, f.ID, ch)) {
		c.answerFilter(f.ID)
	}
}

func (a *API) filterDelete(c *call) { c.deleteOwn("id", store.DeleteFilter) }
