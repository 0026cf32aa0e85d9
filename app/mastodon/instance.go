package mastodon

import (
	"fmt"

	"pukeko/app/media/imaging"
	"pukeko/app/model"
	"pukeko/app/store"
)

// mastodonVersion is the Mastodon release whose API Pukeko speaks, as
// clients read it from the version string to decide what to use.
const mastodonVersion = "4.5.0"

// mastodonAPIVersion is api_versions.mastodon of that release (7: quote
// posts, which clients offer only from it).
const mastodonAPIVersion = 7

// characters_reserved_per_url: every link counts as 23 characters.
const charactersPerURL = 23

// InstanceV2 is Mastodon's Instance (GET /api/v2/instance).
type InstanceV2 struct {
	Domain        string               `json:"domain"`
	Title         string               `json:"title"`
	Version       string               `json:"version"`
	SourceURL     string               `json:"source_url"`
	Description   string               `json:"description"`
	Usage         instanceUsage        `json:"usage"`
	Thumbnail     instanceThumbnail    `json:"thumbnail"`
	Icon          []instanceIcon       `json:"icon"`
	Languages     []string             `json:"languages"`
	Configuration instanceConfig       `json:"configuration"`
	Registrations instanceRegistration `json:"registrations"`
	APIVersions   map[string]int       `json:"api_versions"`
	Contact       instanceContact      `json:"contact"`
	Rules         []InstanceRule       `json:"rules"`
	// Wrapstodon is the year of the annual reports campaign, null when
	// none runs (an integer, as Mastodon sends it).
	Wrapstodon *int `json:"wrapstodon"`
}

type instanceUsage struct {
	Users struct {
		ActiveMonth int `json:"active_month"`
	} `json:"users"`
}

type instanceThumbnail struct {
	URL         string  `json:"url"`
	Blurhash    *string `json:"blurhash"`
	Description *string `json:"description,omitempty"`
}

type instanceIcon struct {
	Src  string `json:"src"`
	Size string `json:"size"`
}

type instanceConfig struct {
	URLs             map[string]*string  `json:"urls"`
	Vapid            map[string]string   `json:"vapid"`
	Accounts         map[string]int      `json:"accounts"`
	Statuses         map[string]int      `json:"statuses"`
	MediaAttachments instanceMediaConfig `json:"media_attachments"`
	Polls            map[string]int      `json:"polls"`
	Translation      map[string]bool     `json:"translation"`
}

type instanceMediaConfig struct {
	SupportedMimeTypes  []string `json:"supported_mime_types"`
	DescriptionLimit    int      `json:"description_limit,omitempty"`
	ImageSizeLimit      int64    `json:"image_size_limit"`
	ImageMatrixLimit    int      `json:"image_matrix_limit"`
	VideoSizeLimit      int64    `json:"video_size_limit"`
	VideoFrameRateLimit int      `json:"video_frame_rate_limit"`
	VideoMatrixLimit    int      `json:"video_matrix_limit"`
}

type instanceRegistration struct {
	Enabled          bool    `json:"enabled"`
	ApprovalRequired bool    `json:"approval_required"`
	ReasonRequired   bool    `json:"reason_required"`
	Message          *string `json:"message"`
	MinAge           *int    `json:"min_age"`
	URL              *string `json:"url"`
}

type instanceContact struct {
	Email   string   `json:"email"`
	Account *Account `json:"account"`
}

// InstanceRule is Mastodon's Rule.
type InstanceRule struct {
	ID           string         `json:"id"`
	Text         string         `json:"text"`
	Hint         string         `json:"hint"`
	Translations map[string]any `json:"translations"`
}

// supportedMimeTypes are the uploads media processing takes.
var supportedMimeTypes = []string{
	imaging.MimeJPEG, imaging.MimePNG, imaging.MimeGIF, imaging.MimeWebP,
	imaging.MimeMP4, imaging.MimeQuickTime, imaging.MimeWebM,
	imaging.MimeAudioWebM, imaging.MimeMP3, imaging.MimeOgg, imaging.MimeM4A, imaging.MimeWAV, imaging.MimeFLAC,
}

// Limits of media that Pukeko does not enforce (videos are kept as they
// are), given as Mastodon's defaults so clients keep to them.
const (
	descriptionLimit    = 1500
	videoFrameRateLimit = 120
	videoMatrixLimit    = 8_294_400 // 3840x2160
)

// instanceParts is what both instance entities are built from.
type instanceParts struct {
	site    *site
	stats   store.InstanceStats
	rules   []InstanceRule
	contact *Account
	vapid   string
}

func (a *API) instanceParts(c *call) (*instanceParts, error) {
	s, err := c.site()
	if err != nil {
		return nil, err
	}
	p := &instanceParts{site: s}
	if p.stats, err = c.stats(s.domain.Domain); err != nil {
		return nil, err
	}
	if p.rules, err = a.instanceRules(c); err != nil {
		return nil, err
	}
	contact, err := store.ContactIdentity(c.ctx(), a.In.DB, s.domain.Domain, s.setting(store.SettingContactUsername))
	if err != nil {
		return nil, err
	}
	if contact != nil {
		list, err := c.renderer().accounts([]*model.Identity{contact})
		if err != nil {
			return nil, err
		}
		p.contact = list[0]
	}
	if p.vapid, err = a.vapidPublicKey(c); err != nil {
		return nil, err
	}
	return p, nil
}

// instanceRules renders the server's rules.
func (a *API) instanceRules(c *call) ([]InstanceRule, error) {
	rules, err := store.ServerRules(c.ctx(), a.In.DB)
	if err != nil {
		return nil, err
	}
	out := make([]InstanceRule, 0, len(rules))
	for _, r := range rules {
		out = append(out, InstanceRule{ID: idStr(r.ID), Text: r.Text, Hint: r.Hint, Translations: map[string]any{}})
	}
	return out, nil
}

// versionString is the version clients read: Mastodon's, then Pukeko's.
func (a *API) versionString() string {
	return fmt.Sprintf("%s (compatible; Pukeko %s)", mastodonVersion, a.Options.Version)
}

// streamingURL is the base of the streaming API on this host.
func (c *call) streamingURL() string {
	if c.scheme() == "https" {
		return "wss://" + c.host
	}
	return "ws://" + c.host
}

// thumbnailURL is the domain's picture: the thumbnail setting, else its
// icon; "" when it has neither.
func (c *call) thumbnailURL(s *site) string {
	if u := s.setting(store.SettingThumbnailURL); u != "" {
		return u
	}
	return s.domain.IconURL
}

// defaultThumbnail is the picture of a domain without one, where the v2
// entity requires one: a file the static assets are to provide.
const defaultThumbnail = "/static/thumbnail.png"

// sourceURL is where the server's source is published: the source_url
// setting, else the main domain's about page (as nodeinfo's homepage).
func (c *call) sourceURL(s *site) string {
	if u := s.setting(store.SettingSourceURL); u != "" {
		return u
	}
	return c.api.In.BaseURL(c.api.In.MainDomain) + "/about"
}

// signupsOpen tells whether anyone may sign up (invites are Mastodon's
// closed registrations with invites enabled).
func signupsOpen(d *model.Domain) bool {
	return d.SignupPolicy == model.SignupOpen || d.SignupPolicy == model.SignupApproval
}

func (a *API) mediaLimits() instanceMediaConfig {
	m := instanceMediaConfig{
		SupportedMimeTypes:  supportedMimeTypes,
		DescriptionLimit:    descriptionLimit,
		VideoFrameRateLimit: videoFrameRateLimit,
		VideoMatrixLimit:    videoMatrixLimit,
	}
	if a.In.Media != nil {
		l := a.In.Media.Limits
		m.ImageSizeLimit, m.ImageMatrixLimit, m.VideoSizeLimit = l.MaxImageSize, l.MaxImagePixels, l.MaxVideoSize
	}
	return m
}

func (a *API) instanceV2(c *call) {
	p, err := a.instanceParts(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	s, lim := p.site, a.In.Limits()
	streaming := c.streamingURL()
	about := c.baseURL() + "/about"
	privacy := c.baseURL() + "/privacy-policy"
	var terms *string
	if s.setting(store.SettingTermsOfService) != "" {
		t := c.baseURL() + "/terms-of-service"
		terms = &t
	}
	out := InstanceV2{
		Domain:      s.domain.Domain,
		Title:       s.title(),
		Version:     a.versionString(),
		SourceURL:   c.sourceURL(s),
		Description: s.setting(store.SettingDescription),
		Thumbnail:   instanceThumbnail{URL: c.thumbnailURL(s)},
		Icon:        []instanceIcon{},
		Languages:   []string{"en"},
		Configuration: instanceConfig{
			URLs:  map[string]*string{"streaming": &streaming, "status": nil, "about": &about, "privacy_policy": &privacy, "terms_of_service": terms},
			Vapid: map[string]string{"public_key": p.vapid},
			Accounts: map[string]int{"max_featured_tags": 10, "max_pinned_statuses": lim.MaxPins,
				"max_display_name_length": 30, "max_note_length": 500, "max_profile_fields": 4,
				"profile_field_name_limit": 255, "profile_field_value_limit": 255},
			Statuses: map[string]int{"max_characters": lim.MaxPostLength, "max_media_attachments": lim.MaxAttachments,
				"characters_reserved_per_url": charactersPerURL},
			MediaAttachments: a.mediaLimits(),
			Polls: map[string]int{"max_options": lim.MaxPollOptions, "max_characters_per_option": lim.MaxPollOptionLength,
				"min_expiration": int(lim.MinPollExpiry.Seconds()), "max_expiration": int(lim.MaxPollExpiry.Seconds())},
			Translation: map[string]bool{"enabled": a.In.TranslationEnabled()},
		},
		Registrations: instanceRegistration{
			Enabled:          signupsOpen(s.domain),
			ApprovalRequired: s.domain.SignupPolicy == model.SignupApproval,
		},
		APIVersions: map[string]int{"mastodon": mastodonAPIVersion},
		Contact:     instanceContact{Email: s.setting(store.SettingContactEmail), Account: p.contact},
		Rules:       p.rules,
	}
	out.Usage.Users.ActiveMonth = p.stats.ActiveMonth
	if year, ok := a.In.AnnualReports.Campaign(); ok {
		out.Wrapstodon = &year
	}
	if out.Thumbnail.URL == "" {
		out.Thumbnail.URL = c.baseURL() + defaultThumbnail
	}
	if m := s.setting(store.SettingRegistrationMessage); m != "" {
		out.Registrations.Message = &m
	}
	c.ok(out)
}

// InstanceV1 is Mastodon's V1::Instance (GET /api/v1/instance).
type InstanceV1 struct {
	URI              string            `json:"uri"`
	Title            string            `json:"title"`
	ShortDescription string            `json:"short_description"`
	Description      string            `json:"description"`
	Email            string            `json:"email"`
	Version          string            `json:"version"`
	URLs             map[string]string `json:"urls"`
	Stats            map[string]int    `json:"stats"`
	Thumbnail        *string           `json:"thumbnail"`
	Languages        []string          `json:"languages"`
	Registrations    bool              `json:"registrations"`
	ApprovalRequired bool              `json:"approval_required"`
	InvitesEnabled   bool              `json:"invites_enabled"`
	Configuration    instanceConfigV1  `json:"configuration"`
	ContactAccount   *Account          `json:"contact_account"`
	Rules            []InstanceRule    `json:"rules"`
}

type instanceConfigV1 struct {
	Accounts         map[string]int      `json:"accounts"`
	Statuses         map[string]int      `json:"statuses"`
	MediaAttachments instanceMediaConfig `json:"media_attachments"`
	Polls            map[string]int      `json:"polls"`
}

func (a *API) instanceV1(c *call) {
	p, err := a.instanceParts(c)
	if err != nil {
		a.fail(c, err)
		return
	}
	s, lim := p.site, a.In.Limits()
	var thumb *string
	if u := c.thumbnailURL(s); u != "" {
		thumb = &u
	}
	media := a.mediaLimits()
	media.DescriptionLimit = 0 // not part of the v1 entity
	c.ok(InstanceV1{
		URI:              s.domain.Domain,
		Title:            s.title(),
		ShortDescription: s.setting(store.SettingDescription),
		Description:      s.setting(store.SettingDescription),
		Email:            s.setting(store.SettingContactEmail),
		Version:          a.versionString(),
		URLs:             map[string]string{"streaming_api": c.streamingURL()},
		Stats:            map[string]int{"user_count": p.stats.Users, "status_count": p.stats.Statuses, "domain_count": p.stats.Domains},
		Thumbnail:        thumb,
		Languages:        []string{"en"},
		Registrations:    signupsOpen(s.domain),
		ApprovalRequired: s.domain.SignupPolicy == model.SignupApproval,
		InvitesEnabled:   s.domain.SignupPolicy == model.SignupInvite,
		Configuration: instanceConfigV1{
			Accounts: map[string]int{"max_featured_tags": 10},
			Statuses: map[string]int{"max_characters": lim.MaxPostLength, "max_media_attachments": lim.MaxAttachments,
				"characters_reserved_per_url": charactersPerURL},
			MediaAttachments: media,
			Polls: map[string]int{"max_options": lim.MaxPollOptions, "max_characters_per_option": lim.MaxPollOptionLength,
				"min_expiration": int(lim.MinPollExpiry.Seconds()), "max_expiration": int(lim.MaxPollExpiry.Seconds())},
		},
		ContactAccount: p.contact,
		Rules:          p.rules,
	})
}
