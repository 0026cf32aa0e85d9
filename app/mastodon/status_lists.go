package mastodon

import (
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// StatusEdit is one version of a status (GET /api/v1/statuses/:id/history).
type StatusEdit struct {
	Content          string            `json:"content"`
	SpoilerText      string            `json:"spoiler_text"`
	Sensitive        bool              `json:"sensitive"`
	CreatedAt        string            `json:"created_at"`
	Account          *Account          `json:"account"`
	Poll             *StatusEditPoll   `json:"poll,omitempty"`
	MediaAttachments []MediaAttachment `json:"media_attachments"`
	Emojis           []CustomEmoji     `json:"emojis"`
}

// StatusEditPoll is the poll options of a version.
type StatusEditPoll struct {
	Options []StatusEditPollOption `json:"options"`
}

// StatusEditPollOption is one option of a version's poll.
type StatusEditPollOption struct {
	Title string `json:"title"`
}

// StatusSource is what the author typed (GET /api/v1/statuses/:id/source).
type StatusSource struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	SpoilerText string `json:"spoiler_text"`
}

// maxStatusesAtOnce bounds GET /api/v1/statuses.
const maxStatusesAtOnce = 40

func (a *API) registerStatusLists(mux Mux) {
	a.route(mux, "GET /api/v1/statuses", anyone, "read:statuses", a.statusesByID)
	a.route(mux, "GET /api/v1/statuses/{id}/favourited_by", anyone, "read:statuses", a.favouritedBy)
	a.route(mux, "GET /api/v1/statuses/{id}/reblogged_by", anyone, "read:statuses", a.rebloggedBy)
	a.route(mux, "GET /api/v1/statuses/{id}/history", anyone, "read:statuses", a.statusHistory)
	a.route(mux, "GET /api/v1/statuses/{id}/source", userToken, "read:statuses", a.statusSource)
}

// idFromString reads an id rendered as a string.
func idFromString(s string) (model.ID, bool) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return model.ID(n), err == nil && n > 0
}

// statusesByID answers the statuses of id[] the caller may see, in the
// order asked; unknown and hidden ones are left out.
func (a *API) statusesByID(c *call) {
	var ids []model.ID
	for _, s := range c.params.list("id") {
		if id, ok := idFromString(s); ok {
			ids = append(ids, id)
		}
	}
	if len(ids) > maxStatusesAtOnce {
		c.invalid("Too many ids: at most %d", maxStatusesAtOnce)
		return
	}
	posts, err := store.VisiblePostsByIDs(c.ctx(), a.In.DB, c.viewerID(), ids)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderer().viewerPosts(posts)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out)
}

func (a *API) favouritedBy(c *call) { a.interactionAccounts(c, model.InteractionLike) }

func (a *API) rebloggedBy(c *call) { a.interactionAccounts(c, model.InteractionBoost) }

// interactionAccounts answers who liked or boosted a post the caller may
// see, paged by the like's or boost's id.
func (a *API) interactionAccounts(c *call, typ string) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	pg := c.page(40, 80)
	list, err := store.InteractionAccounts(c.ctx(), a.In.DB, p.ID, typ, c.viewerID(), pg, pg.Limit)
	if err != nil {
		a.fail(c, err)
		return
	}
	keyedPage(c, list, func(i store.KeyedIdentity) (*model.Identity, model.ID) { return i.Identity, i.Key }, c.renderer().accounts)
}

// statusHistory answers every version of a post, oldest first: the
// versions edits replaced, then the current one. Pukeko keeps the text,
// content warning and sensitivity of old versions; attachments, emoji and
// poll options are shown as they are now.
func (a *API) statusHistory(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	edits, err := store.PostEdits(c.ctx(), a.In.DB, p.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	rd := c.renderer()
	current, err := rd.one(p)
	if err != nil {
		a.fail(c, err)
		return
	}
	if current == nil {
		c.notFound()
		return
	}
	var poll *StatusEditPoll
	if current.Poll != nil {
		poll = &StatusEditPoll{Options: []StatusEditPollOption{}}
		for _, o := range current.Poll.Options {
			poll.Options = append(poll.Options, StatusEditPollOption{Title: o.Title})
		}
	}
	version := func(content, summary string, sensitive bool, at string) StatusEdit {
		return StatusEdit{Content: content, SpoilerText: summary, Sensitive: sensitive, CreatedAt: at,
			Account: current.Account, Poll: poll, MediaAttachments: current.MediaAttachments, Emojis: current.Emojis}
	}
	out := make([]StatusEdit, 0, len(edits)+1)
	since := ts(p.Published)
	for _, e := range edits {
		out = append(out, version(e.Content, e.Summary, e.Sensitive, since))
		since = ts(e.Edited)
	}
	out = append(out, version(current.Content, current.SpoilerText, current.Sensitive, since))
	c.ok(out)
}

// statusSource answers what the author typed: the source of our posts,
// the content of other servers' (as Mastodon keeps them).
func (a *API) statusSource(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	text := p.Source
	if !p.Local {
		text = p.Content
	}
	c.ok(StatusSource{ID: idStr(p.ID), Text: text, SpoilerText: p.Summary})
}
