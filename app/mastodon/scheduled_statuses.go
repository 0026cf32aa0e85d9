package mastodon

import (
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// ScheduledStatus is Mastodon's ScheduledStatus.
type ScheduledStatus struct {
	ID               string                `json:"id"`
	ScheduledAt      string                `json:"scheduled_at"`
	Params           ScheduledStatusParams `json:"params"`
	MediaAttachments []MediaAttachment     `json:"media_attachments"`
}

// ScheduledStatusParams are the parameters a scheduled status will be
// posted with (null where they were not given, as Mastodon keeps them).
type ScheduledStatusParams struct {
	Text          string               `json:"text"`
	Poll          *ScheduledStatusPoll `json:"poll"`
	MediaIDs      []string             `json:"media_ids"`
	Sensitive     *bool                `json:"sensitive"`
	SpoilerText   *string              `json:"spoiler_text"`
	Visibility    string               `json:"visibility"`
	ScheduledAt   *string              `json:"scheduled_at"`
	InReplyToID   *int64               `json:"in_reply_to_id"`
	Language      *string              `json:"language"`
	ApplicationID int64                `json:"application_id"`
	Idempotency   *string              `json:"idempotency"`
	WithRateLimit bool                 `json:"with_rate_limit"`
}

// ScheduledStatusPoll is the poll of a scheduled status.
type ScheduledStatusPoll struct {
	Options    []string `json:"options"`
	ExpiresIn  int      `json:"expires_in"`
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

func (a *API) registerScheduledStatuses(mux Mux) {
	a.route(mux, "GET /api/v1/scheduled_statuses", userToken, "read:statuses", a.listScheduledStatuses)
	a.route(mux, "GET /api/v1/scheduled_statuses/{id}", userToken, "read:statuses", a.getScheduledStatus)
	a.route(mux, "PUT /api/v1/scheduled_statuses/{id}", userToken, "write:statuses", a.rescheduleStatus)
	a.route(mux, "DELETE /api/v1/scheduled_statuses/{id}", userToken, "write:statuses", a.deleteScheduledStatus)
}

// renderScheduled renders scheduled statuses of the caller with their
// uploads (loaded for the whole page at once).
func (c *call) renderScheduled(list []*store.ScheduledStatus) ([]*ScheduledStatus, error) {
	var mediaIDs []model.ID
	for _, s := range list {
		mediaIDs = append(mediaIDs, s.Params.MediaIDs...)
	}
	uploads := map[model.ID]*model.Attachment{}
	if len(mediaIDs) > 0 {
		found, err := store.AttachmentsByIDs(c.ctx(), c.api.In.DB, mediaIDs)
		if err != nil {
			return nil, err
		}
		for _, u := range found {
			uploads[u.ID] = u
		}
	}
	rd := c.renderer()
	out := make([]*ScheduledStatus, 0, len(list))
	for _, s := range list {
		p := s.Params
		e := &ScheduledStatus{ID: idStr(s.ID), ScheduledAt: ts(s.ScheduledAt), MediaAttachments: []MediaAttachment{},
			Params: ScheduledStatusParams{Text: p.Text, Visibility: p.Visibility, ApplicationID: int64(p.ApplicationID)}}
		if e.Params.Visibility == "" {
			e.Params.Visibility = model.VisibilityPublic
		}
		e.Params.Visibility = visibility(e.Params.Visibility)
		if p.Sensitive {
			e.Params.Sensitive = &p.Sensitive
		}
		if p.SpoilerText != "" {
			e.Params.SpoilerText = &p.SpoilerText
		}
		if p.Language != "" {
			e.Params.Language = &p.Language
		}
		if p.Idempotency != "" {
			e.Params.Idempotency = &p.Idempotency
		}
		if p.InReplyToID != 0 {
			id := int64(p.InReplyToID)
			e.Params.InReplyToID = &id
		}
		if p.Poll != nil {
			e.Params.Poll = &ScheduledStatusPoll{Options: p.Poll.Options, ExpiresIn: p.Poll.ExpiresIn,
				Multiple: p.Poll.Multiple, HideTotals: p.Poll.HideTotals}
		}
		for _, id := range p.MediaIDs {
			e.Params.MediaIDs = append(e.Params.MediaIDs, idStr(id))
			if u := uploads[id]; u != nil && u.OwnerID == s.IdentityID {
				m, err := rd.attachment(u)
				if err != nil {
					return nil, err
				}
				e.MediaAttachments = append(e.MediaAttachments, *m)
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// answerScheduled answers one scheduled status.
func (c *call) answerScheduled(s *store.ScheduledStatus) {
	out, err := c.renderScheduled([]*store.ScheduledStatus{s})
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(out[0])
}

// listScheduledStatuses answers the caller's statuses waiting to be
// posted, the latest scheduled first, paged by id.
func (a *API) listScheduledStatuses(c *call) {
	list, err := store.ScheduledStatusPage(c.ctx(), a.In.DB, c.viewer.ID, social.ScheduledWaiting, c.page(20, 40))
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.renderScheduled(list)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].ID), idStr(list[n-1].ID))
	}
	c.ok(out)
}

func (a *API) getScheduledStatus(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	s, err := a.In.ScheduledStatus(c.ctx(), c.viewer, id)
	if err != nil {
		c.statusActionError(err)
		return
	}
	c.answerScheduled(s)
}

// parseScheduledAt reads a scheduled_at time (ISO 8601); ok is false
// (and 422 answered) when it is no time.
func (c *call) parseScheduledAt(raw string) (time.Time, bool) {
	raw = strings.TrimSpace(raw)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, raw); err == nil {
			return t, true
		}
	}
	c.invalid("Scheduled at is invalid")
	return time.Time{}, false
}

func (a *API) rescheduleStatus(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	raw := c.params.strPtr("scheduled_at")
	if raw == nil {
		s, err := a.In.ScheduledStatus(c.ctx(), c.viewer, id)
		if err != nil {
			c.statusActionError(err)
			return
		}
		c.answerScheduled(s)
		return
	}
	at, ok := c.parseScheduledAt(*raw)
	if !ok {
		return
	}
	s, err := a.In.Reschedule(c.ctx(), c.viewer, id, at)
	if err != nil {
		c.statusActionError(err)
		return
	}
	c.answerScheduled(s)
}

func (a *API) deleteScheduledStatus(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	if err := a.In.Unschedule(c.ctx(), c.viewer, id); err != nil {
		c.statusActionError(err)
		return
	}
	c.ok(struct{}{})
}
