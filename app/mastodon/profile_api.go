package mastodon

import (
	"pukeko/app/model"
)

// Profile is Mastodon's Profile entity (GET and PATCH /api/v1/profile):
// the caller's profile as typed, for editing.
type Profile struct {
	ID                 string   `json:"id"`
	DisplayName        string   `json:"display_name"`
	Note               string   `json:"note"`
	Fields             []Field  `json:"fields"`
	Avatar             *string  `json:"avatar"`
	AvatarStatic       *string  `json:"avatar_static"`
	AvatarDescription  string   `json:"avatar_description"`
	Header             *string  `json:"header"`
	HeaderStatic       *string  `json:"header_static"`
	HeaderDescription  string   `json:"header_description"`
	Locked             bool     `json:"locked"`
	Bot                bool     `json:"bot"`
	Discoverable       *bool    `json:"discoverable"`
	HideCollections    *bool    `json:"hide_collections"`
	Indexable          bool     `json:"indexable"`
	AttributionDomains []string `json:"attribution_domains"`
	ShowFeatured       bool     `json:"show_featured"`
	ShowMedia          bool     `json:"show_media"`
	ShowMediaReplies   bool     `json:"show_media_replies"`
}

func (a *API) registerProfile(mux Mux) {
	a.route(mux, "GET /api/v1/profile", userToken, "profile read:accounts", func(c *call) { c.ok(c.profile(c.viewer)) })
	a.route(mux, "PATCH /api/v1/profile", userToken, "write write:accounts", func(c *call) {
		if me, ok := c.editProfile(); ok {
			c.ok(c.profile(me))
		}
	})
}

// profile renders an identity's Profile: images null when unset (not
// Mastodon's placeholder), fields and bio as typed. Image descriptions
// and profile tabs are not kept: descriptions are empty, every tab shown.
func (c *call) profile(i *model.Identity) *Profile {
	fields := renderFields(i.Fields)
	for k := range fields {
		fields[k].Value = unescapeField(fields[k].Value)
	}
	discoverable, hide := i.Discoverable, i.HideCollections
	p := &Profile{
		ID:                 idStr(i.ID),
		DisplayName:        i.Name,
		Note:               i.SummarySource,
		Fields:             fields,
		Locked:             i.Locked,
		Bot:                i.Bot || i.ActorType == "Service",
		Discoverable:       &discoverable,
		HideCollections:    &hide,
		Indexable:          i.Indexable,
		AttributionDomains: []string{},
		ShowFeatured:       true,
		ShowMedia:          true,
		ShowMediaReplies:   true,
	}
	if i.IconURI != "" {
		u := i.IconURI
		p.Avatar, p.AvatarStatic = &u, &u
	}
	if i.ImageURI != "" {
		u := i.ImageURI
		p.Header, p.HeaderStatic = &u, &u
	}
	return p
}
