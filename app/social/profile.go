package social

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode/utf8"

	"pukeko/app/ap"
	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/store"
)

// Profile limits, as Mastodon's.
const (
	MaxDisplayNameLength = 30
	MaxBioLength         = 500
	MaxProfileFields     = 4
	MaxFieldLength       = 255
)

// ErrProfileInvalid is wrapped by the errors of a profile edit that breaks
// a limit.
var ErrProfileInvalid = errors.New("invalid profile")

// ProfileEdit changes a local identity's profile: nil fields stay as they
// are. Avatar and Header are uploaded images (cropped to Mastodon's sizes);
// an empty, non-nil one removes the image.
type ProfileEdit struct {
	Name            *string
	Bio             *string // plain text, rendered like a post
	Fields          *[]model.Field
	Locked          *bool
	Bot             *bool
	Discoverable    *bool
	Indexable       *bool
	HideCollections *bool
	Avatar          *[]byte
	Header          *[]byte
}

// UpdateProfile applies an edit to one of our identities and sends the new
// actor to the servers of its followers as an Update.
func (in *Instance) UpdateProfile(ctx context.Context, i *model.Identity, e ProfileEdit) (*model.Identity, error) {
	if !i.Local || i.Deleted != nil {
		return nil, errors.New("only live local identities are edited here")
	}
	p := *i
	if e.Name != nil {
		if n := utf8.RuneCountInString(*e.Name); n > MaxDisplayNameLength {
			return nil, fmt.Errorf("%w: display name of %d characters, at most %d", ErrProfileInvalid, n, MaxDisplayNameLength)
		}
		p.Name = strings.TrimSpace(*e.Name)
	}
	if e.Bio != nil {
		if n := utf8.RuneCountInString(*e.Bio); n > MaxBioLength {
			return nil, fmt.Errorf("%w: bio of %d characters, at most %d", ErrProfileInvalid, n, MaxBioLength)
		}
		d, err := store.Domain(ctx, in.DB, i.Domain)
		if err != nil || d == nil {
			return nil, errors.Join(err, fmt.Errorf("%s is not a domain of this server", i.Domain))
		}
		p.Summary, p.SummarySource = "", *e.Bio
		if strings.TrimSpace(*e.Bio) != "" {
			p.Summary, _, _ = in.renderLocal(ctx, i, d, *e.Bio)
		}
	}
	if e.Fields != nil {
		if len(*e.Fields) > MaxProfileFields {
			return nil, fmt.Errorf("%w: %d fields, at most %d", ErrProfileInvalid, len(*e.Fields), MaxProfileFields)
		}
		p.Fields = nil
		for _, f := range *e.Fields {
			if utf8.RuneCountInString(f.Name) > MaxFieldLength || utf8.RuneCountInString(f.Value) > MaxFieldLength {
				return nil, fmt.Errorf("%w: a field longer than %d characters", ErrProfileInvalid, MaxFieldLength)
			}
			if strings.TrimSpace(f.Name) == "" && strings.TrimSpace(f.Value) == "" {
				continue
			}
			p.Fields = append(p.Fields, model.Field{Name: strings.TrimSpace(f.Name), Value: html.EscapeString(strings.TrimSpace(f.Value))})
		}
	}
	for _, b := range []struct {
		to   *bool
		from *bool
	}{{&p.Locked, e.Locked}, {&p.Bot, e.Bot}, {&p.Discoverable, e.Discoverable}, {&p.Indexable, e.Indexable}, {&p.HideCollections, e.HideCollections}} {
		if b.from != nil {
			*b.to = *b.from
		}
	}
	if p.Bot {
		p.ActorType = "Service"
	} else if p.ActorType == "Service" {
		p.ActorType = "Person"
	}
	var err error
	if e.Avatar != nil {
		if p.IconKey, p.IconURI, err = in.profileImage(ctx, i, *e.Avatar, media.AvatarWidth, media.AvatarHeight); err != nil {
			return nil, err
		}
	}
	if e.Header != nil {
		if p.ImageKey, p.ImageURI, err = in.profileImage(ctx, i, *e.Header, media.HeaderWidth, media.HeaderHeight); err != nil {
			return nil, err
		}
	}
	if err := store.SaveLocalProfile(ctx, in.DB, &p); err != nil {
		return nil, err
	}
	if err := in.sendProfileUpdate(ctx, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// profileImage stores an avatar or header (nothing for an empty upload)
// and returns its key and address.
func (in *Instance) profileImage(ctx context.Context, i *model.Identity, data []byte, w, h int) (string, string, error) {
	if len(data) == 0 {
		return "", "", nil
	}
	if in.Media == nil {
		return "", "", errors.New("no media storage configured")
	}
	key, _, err := in.Media.ProfileImage(ctx, data, w, h)
	if err != nil {
		return "", "", err
	}
	return key, in.Media.FileURL(i.Domain, key), nil
}

// sendProfileUpdate delivers Update(actor) to the inboxes of the
// identity's followers.
func (in *Instance) sendProfileUpdate(ctx context.Context, i *model.Identity) error {
	inboxes, err := store.PostInboxes(ctx, in.DB, i.ID, true, nil)
	if err != nil {
		return err
	}
	actor := ap.RenderActor(i)
	context := actor["@context"] // the actor's extensions (toot:, schema:)
	delete(actor, "@context")
	activity := ap.NewActivity("Update", fmt.Sprintf("%s#updates/%d", i.URI, model.NewID()), i.URI, actor)
	activity["@context"] = context
	activity["to"] = []string{ap.Public}
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, i, inbox, activity); err != nil {
			return err
		}
	}
	return nil
}
