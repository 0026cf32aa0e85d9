package mastodon

import (
	"context"
	"slices"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Filters v1, mapped onto v2 storage as Mastodon does: a v1 filter is one
// keyword of a filter (its id is the keyword's); creating one makes a
// filter titled by the phrase holding that keyword; irreversible is the
// action "hide".

func (a *API) v1FiltersIndex(c *call) {
	filters, err := store.FiltersOf(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := []V1Filter{}
	for _, f := range filters {
		for _, k := range f.Keywords {
			out = append(out, renderV1Filter(f, k))
		}
	}
	c.ok(out)
}

// v1Action maps irreversible to an action.
func v1Action(irreversible bool) string {
	if irreversible {
		return model.FilterHide
	}
	return model.FilterWarn
}

func (a *API) v1FilterCreate(c *call) {
	p, problems := c.readFilterParams("phrase")
	phrase := ""
	if p.title != nil {
		phrase = *p.title
	}
	if phrase == "" {
		problems = append([]string{"Title can't be blank", "Keywords keyword can't be blank"}, problems...)
	}
	if p.context == nil {
		problems = append(problems, "Context can't be blank", "Context None or invalid context supplied")
	}
	if len(problems) > 0 {
		c.invalid("%s", strings.Join(problems, ", "))
		return
	}
	f := &model.Filter{
		IdentityID: c.viewer.ID, Title: phrase, Context: *p.context,
		Action:   v1Action(c.params.boolean("irreversible", false)),
		Keywords: []model.FilterKeyword{{Keyword: phrase, WholeWord: c.params.boolean("whole_word", true)}},
	}
	if p.expires != nil {
		f.Expires = *p.expires
	}
	if err := store.CreateFilter(c.ctx(), a.In.DB, f); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(renderV1Filter(f, f.Keywords[0]))
}

func (a *API) v1FilterShow(c *call) {
	if k, f := c.viewerKeyword(); k != nil {
		c.ok(renderV1Filter(f, *k))
	}
}

// v1FilterUpdate changes the keyword, and its filter's context, expiry
// and action; the latter only when the filter holds no other keyword, as
// Mastodon refuses to change other keywords' filter through v1.
func (a *API) v1FilterUpdate(c *call) {
	k, f := c.viewerKeyword()
	if k == nil {
		return
	}
	p, problems := c.readFilterParams("phrase")
	if p.title != nil {
		if *p.title == "" {
			problems = append([]string{"Keyword can't be blank"}, problems...)
		}
		k.Keyword = *p.title
	}
	k.WholeWord = c.params.boolean("whole_word", k.WholeWord)
	if len(problems) > 0 {
		c.invalid("%s", strings.Join(problems, ", "))
		return
	}
	ch := store.FilterChange{Context: p.context, Expires: p.expires, UpdateKeywords: []model.FilterKeyword{*k}}
	if c.params.has("irreversible") {
		action := v1Action(c.params.boolean("irreversible", false))
		ch.Action = &action
	}
	changed := (ch.Context != nil && !slices.Equal(*ch.Context, f.Context)) || ch.Expires != nil ||
		(ch.Action != nil && *ch.Action != f.Action)
	if changed && len(f.Keywords) > 1 {
		c.invalid("These parameters cannot be changed from this application because they apply to more than one " +
			"filter keyword. Use a more recent application or the web interface.")
		return
	}
	if len(f.Keywords) == 1 && p.title != nil {
		ch.Title = p.title // the filter is named by its one phrase
	}
	if !c.found(store.UpdateFilter(c.ctx(), a.In.DB, c.viewer.ID, f.ID, ch)) {
		return
	}
	if k, f = c.viewerKeyword(); k != nil {
		c.ok(renderV1Filter(f, *k))
	}
}

// v1FilterDelete deletes the keyword, and its filter when it was the last.
func (a *API) v1FilterDelete(c *call) {
	c.deleteOwn("id", func(ctx context.Context, db store.DB, owner, id model.ID) (bool, error) {
		return store.DeleteKeyword(ctx, db, owner, id, true)
	})
}
