package mastodon

import (
	"net/http"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

func (a *API) registerStatuses(mux Mux) {
	a.route(mux, "POST /api/v1/statuses", userToken, "write write:statuses", a.createStatus)
	a.route(mux, "GET /api/v1/statuses/{id}", anyone, "read read:statuses", a.getStatus)
	a.route(mux, "DELETE /api/v1/statuses/{id}", userToken, "write write:statuses", a.deleteStatus)
	a.route(mux, "PUT /api/v1/statuses/{id}", userToken, "write write:statuses", a.editStatus)
	a.route(mux, "GET /api/v1/statuses/{id}/context", anyone, "read read:statuses", a.statusContext)
}

// visiblePost loads the post of the {id} path parameter if the caller may
// see it, else answers 404 and returns nil.
func (c *call) visiblePost() *model.Post {
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
	if p == nil {
		c.notFound()
		return nil
	}
	ok, err = c.api.In.CanSee(c.ctx(), c.viewerID(), p)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if !ok {
		c.notFound()
		return nil
	}
	return p
}

// postOptions reads what POST and PUT /api/v1/statuses share.
func (c *call) pollOptions() (*social.PollOptions, bool) {
	options := c.params.list("poll[options]")
	if len(options) == 0 {
		return nil, true
	}
	expires := c.params.integer("poll[expires_in]", 0)
	if expires <= 0 {
		c.invalid("Poll expires in must be a number of seconds")
		return nil, false
	}
	return &social.PollOptions{
		Options:    options,
		Multiple:   c.params.boolean("poll[multiple]", false),
		HideTotals: c.params.boolean("poll[hide_totals]", false),
		ExpiresIn:  time.Duration(expires) * time.Second,
	}, true
}

// createStatus posts a status, or schedules it when scheduled_at is
// given; with an Idempotency-Key, a request sent again answers what the
// first one made (status_create.go).
func (a *API) createStatus(c *call) {
	if key := strings.TrimSpace(c.r.Header.Get("Idempotency-Key")); key != "" {
		a.idempotentStatus(c, key)
		return
	}
	a.postStatus(c, "")
}

// statusInput reads the parameters of a new status. The post it replies
// to must be visible to the caller (else 404); a reply to a direct post
// is direct unless told otherwise. ok is false when an answer was sent.
func (c *call) statusInput() (opts social.PostOptions, ok bool) {
	mediaIDs, ok := c.params.ids("media_ids")
	if !ok {
		c.invalid("Media ids must be ids")
		return opts, false
	}
	vis := c.params.str("visibility")
	if vis != "" && !model.ValidVisibility(vis) {
		c.invalid("Visibility is not included in the list")
		return opts, false
	}
	poll, ok := c.pollOptions()
	if !ok {
		return opts, false
	}
	if poll != nil && len(mediaIDs) > 0 {
		c.invalid("Media attachments and a poll cannot go together")
		return opts, false
	}
	// What the request leaves out comes from the author's preferences
	// (source[privacy], source[sensitive], source[language]).
	prefs, err := store.IdentityPreferences(c.ctx(), c.api.In.DB, c.viewer.ID)
	if err != nil {
		c.api.fail(c, err)
		return opts, false
	}
	language := strings.TrimSpace(c.params.str("language"))
	if language == "" {
		language = prefs.DefaultLanguage
	}
	opts = social.PostOptions{
		Text:       c.params.str("status"),
		Visibility: vis,
		Summary:    c.params.str("spoiler_text"),
		Sensitive:  c.params.boolean("sensitive", prefs.DefaultSensitive),
		Language:   language,
		Poll:       poll,
		MediaIDs:   mediaIDs,
	}
	if id := c.params.id("in_reply_to_id"); id != 0 {
		parent, err := store.PostByID(c.ctx(), c.api.In.DB, id)
		if err != nil {
			c.api.fail(c, err)
			return opts, false
		}
		if parent == nil {
			c.notFound()
			return opts, false
		}
		if ok, err := c.api.In.CanSee(c.ctx(), c.viewerID(), parent); err != nil || !ok {
			if err != nil {
				c.api.fail(c, err)
				return opts, false
			}
			c.notFound()
			return opts, false
		}
		opts.InReplyTo = parent
		if vis == "" && parent.Visibility == model.VisibilityDirect {
			opts.Visibility = model.VisibilityDirect
		}
	}
	if opts.Visibility == "" {
		opts.Visibility = prefs.DefaultVisibility
	}
	if !c.quoteInput(&opts) {
		return opts, false
	}
	return opts, true
}

// postStatus posts (or schedules) a status and answers it; key is the
// request's Idempotency-Key, kept with a scheduled status. It returns
// what it made, nothing when it answered an error.
func (a *API) postStatus(c *call, key string) store.IdempotentResult {
	opts, ok := c.statusInput()
	if !ok {
		return store.IdempotentResult{}
	}
	if raw := c.params.strPtr("scheduled_at"); raw != nil && strings.TrimSpace(*raw) != "" {
		return a.scheduleStatus(c, opts, *raw, key)
	}
	p, err := a.In.CreatePost(c.ctx(), c.viewer, opts)
	if err != nil {
		c.socialError(err)
		return store.IdempotentResult{}
	}
	c.answerOne(p)
	return store.IdempotentResult{PostID: p.ID}
}

func (a *API) getStatus(c *call) {
	if p := c.visiblePost(); p != nil {
		c.answerOne(p)
	}
}

func (a *API) deleteStatus(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	p, err := store.PostByID(c.ctx(), a.In.DB, id)
	if err != nil {
		a.fail(c, err)
		return
	}
	if p == nil || p.Deleted != nil || p.AuthorID != c.viewer.ID {
		c.notFound()
		return
	}
	// Rendered before deletion, with the source text, so that clients can
	// offer "delete and redraft".
	s, err := c.renderer().one(p)
	if err != nil {
		a.fail(c, err)
		return
	}
	if err := a.In.DeletePost(c.ctx(), c.viewer, p.ID); err != nil {
		c.socialError(err)
		return
	}
	if s != nil {
		text := p.Source
		s.Text = &text
	}
	c.ok(s)
}

func (a *API) editStatus(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	var e social.PostEdit
	e.Text = c.params.strPtr("status")
	e.Summary = c.params.strPtr("spoiler_text")
	e.Sensitive = c.params.boolPtr("sensitive")
	e.Language = c.params.strPtr("language")
	e.QuotePolicy = c.params.strPtr("quote_approval_policy")
	if c.params.has("media_ids") {
		ids, ok := c.params.ids("media_ids")
		if !ok {
			c.invalid("Media ids must be ids")
			return
		}
		e.MediaIDs = &ids
	}
	p, err := a.In.EditPost(c.ctx(), c.viewer, id, e)
	if err != nil {
		c.socialError(err)
		return
	}
	c.answerOne(p)
}

func (a *API) statusContext(c *call) {
	p := c.visiblePost()
	if p == nil {
		return
	}
	up, down, err := a.In.Context(c.ctx(), p, c.viewerID())
	if err != nil {
		c.socialError(err)
		return
	}
	if err := a.contextRefreshHeader(c, p); err != nil {
		a.fail(c, err)
		return
	}
	rd := c.renderer()
	ancestors, err := rd.posts(up)
	if err != nil {
		a.fail(c, err)
		return
	}
	descendants, err := rd.posts(down)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{"ancestors": ancestors, "descendants": descendants})
}

var _ = http.MethodGet
