package social

import (
	"context"
	"errors"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
)

// AnnouncementOptions describe an announcement of the admins.
type AnnouncementOptions struct {
	Text     string // plain text, rendered like a post (links)
	Domain   string // one local domain; "" for all
	StartsAt *time.Time
	EndsAt   *time.Time
	AllDay   bool
	Publish  bool // publish now; else a draft
}

// CreateAnnouncement stores an announcement (for the CLI and the admin
// pages; the client API only shows them).
func (in *Instance) CreateAnnouncement(ctx context.Context, o AnnouncementOptions) (*model.Announcement, error) {
	html := text.Render(o.Text, text.RenderOptions{}).HTML
	if html == "" {
		return nil, errors.New("announcement: the text is empty")
	}
	if o.StartsAt != nil && o.EndsAt != nil && o.EndsAt.Before(*o.StartsAt) {
		return nil, errors.New("announcement: it ends before it starts")
	}
	if o.Domain != "" {
		d, err := store.Domain(ctx, in.DB, o.Domain)
		if err != nil {
			return nil, err
		}
		if d == nil || !d.Local {
			return nil, errors.New("announcement: " + o.Domain + " is not a domain of this server")
		}
	}
	a := &model.Announcement{Domain: o.Domain, Text: o.Text, Content: html, StartsAt: o.StartsAt, EndsAt: o.EndsAt, AllDay: o.AllDay}
	if o.Publish {
		now := time.Now()
		a.Published = &now
	}
	if err := store.CreateAnnouncement(ctx, in.DB, a); err != nil {
		return nil, err
	}
	return a, nil
}
