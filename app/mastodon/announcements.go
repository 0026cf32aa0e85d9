package mastodon

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Announcement is Mastodon's Announcement.
type Announcement struct {
	ID          string                 `json:"id"`
	Content     string                 `json:"content"`
	StartsAt    *string                `json:"starts_at"`
	EndsAt      *string                `json:"ends_at"`
	AllDay      bool                   `json:"all_day"`
	PublishedAt string                 `json:"published_at"`
	UpdatedAt   string                 `json:"updated_at"`
	Read        bool                   `json:"read"`
	Mentions    []any                  `json:"mentions"`
	Statuses    []any                  `json:"statuses"`
	Tags        []any                  `json:"tags"`
	Emojis      []CustomEmoji          `json:"emojis"`
	Reactions   []AnnouncementReaction `json:"reactions"`
}

// AnnouncementReaction is Mastodon's Reaction.
type AnnouncementReaction struct {
	Name      string  `json:"name"`
	Count     int     `json:"count"`
	Me        bool    `json:"me"`
	URL       *string `json:"url,omitempty"`
	StaticURL *string `json:"static_url,omitempty"`
}

// shortcodeRE finds :shortcode: in an announcement's text.
var shortcodeRE = regexp.MustCompile(`:([a-zA-Z0-9_]{2,}):`)

// localEmojiByCode returns our emoji offered on the site, by shortcode.
func (a *API) localEmojiByCode(c *call, s *site) (map[string]CustomEmoji, error) {
	list, err := store.LocalEmojiFor(c.ctx(), a.In.DB, s.domain.Domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string]CustomEmoji, len(list))
	for _, e := range list {
		u := e.ImageURL
		if e.FileKey != "" && a.In.Media != nil {
			u = a.In.Media.FileURL(c.host, e.FileKey)
		}
		out[e.Shortcode] = CustomEmoji{Shortcode: e.Shortcode, URL: u, StaticURL: u, VisibleInPicker: e.VisibleInPicker}
	}
	return out, nil
}

func (a *API) announcementsIndex(c *call) {
	s, err := c.site()
	if err != nil {
		a.fail(c, err)
		return
	}
	list, err := store.ActiveAnnouncements(c.ctx(), a.In.DB, s.domain.Domain, c.viewer.ID, c.params.boolean("with_dismissed", false))
	if err != nil {
		a.fail(c, err)
		return
	}
	emoji, err := a.localEmojiByCode(c, s)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := make([]Announcement, 0, len(list))
	for _, v := range list {
		an := Announcement{
			ID: idStr(v.ID), Content: v.Content, StartsAt: tsPtr(v.StartsAt), EndsAt: tsPtr(v.EndsAt), AllDay: v.AllDay,
			PublishedAt: ts(*v.Published), UpdatedAt: ts(v.Updated), Read: v.Read,
			Mentions: []any{}, Statuses: []any{}, Tags: []any{}, Emojis: []CustomEmoji{}, Reactions: []AnnouncementReaction{},
		}
		seen := map[string]bool{}
		for _, m := range shortcodeRE.FindAllStringSubmatch(v.Text, -1) {
			if e, ok := emoji[m[1]]; ok && !seen[m[1]] {
				seen[m[1]] = true
				an.Emojis = append(an.Emojis, e)
			}
		}
		for _, r := range v.Reactions {
			ar := AnnouncementReaction{Name: r.Name, Count: r.Count, Me: r.Me}
			if e, ok := emoji[r.Name]; ok {
				ar.URL, ar.StaticURL = &e.URL, &e.StaticURL
			}
			an.Reactions = append(an.Reactions, ar)
		}
		out = append(out, an)
	}
	c.ok(out)
}

// pathAnnouncement resolves the path's announcement among those shown on
// the request's domain, answering 404 when it is not one.
func (a *API) pathAnnouncement(c *call) (model.ID, *site, bool) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return 0, nil, false
	}
	s, err := c.site()
	if err != nil {
		a.fail(c, err)
		return 0, nil, false
	}
	an, err := store.ActiveAnnouncement(c.ctx(), a.In.DB, s.domain.Domain, id)
	if err != nil {
		a.fail(c, err)
		return 0, nil, false
	}
	if an == nil {
		c.notFound()
		return 0, nil, false
	}
	return id, s, true
}

func (a *API) announcementDismiss(c *call) {
	id, _, ok := a.pathAnnouncement(c)
	if !ok {
		return
	}
	if err := store.DismissAnnouncement(c.ctx(), a.In.DB, id, c.viewer.ID); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}

func (a *API) announcementReact(c *call) {
	id, s, ok := a.pathAnnouncement(c)
	if !ok {
		return
	}
	name := c.r.PathValue("name")
	if !isUnicodeEmoji(name) {
		emoji, err := a.localEmojiByCode(c, s)
		if err != nil {
			a.fail(c, err)
			return
		}
		if _, ok := emoji[name]; !ok {
			c.invalid("Name is not a recognized emoji")
			return
		}
	}
	err := store.AddAnnouncementReaction(c.ctx(), a.In.DB, id, c.viewer.ID, name)
	if errors.Is(err, store.ErrTooManyReactions) {
		c.invalid("Limit of different reactions reached")
		return
	}
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}

func (a *API) announcementUnreact(c *call) {
	id, _, ok := a.pathAnnouncement(c)
	if !ok {
		return
	}
	if err := store.RemoveAnnouncementReaction(c.ctx(), a.In.DB, id, c.viewer.ID, c.r.PathValue("name")); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}

// isUnicodeEmoji reports whether name is one emoji sequence: symbols,
// with the joiners, variation selectors, skin tones, keycaps and tags
// that build emoji out of several code points.
func isUnicodeEmoji(name string) bool {
	if name == "" || len(name) > 64 || !utf8.ValidString(name) {
		return false
	}
	symbol := false
	for _, r := range name {
		switch {
		case unicode.Is(unicode.So, r), r >= 0x1F1E6 && r <= 0x1F1FF:
			symbol = true
		case r == 0x200D, r == 0xFE0F, r == 0xFE0E, r == 0x20E3, r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F:
		case r == '#' || r == '*' || (r >= '0' && r <= '9'):
			// keycaps: 1️⃣ is "1", U+FE0F, U+20E3
		default:
			return false
		}
	}
	return symbol || strings.HasSuffix(name, "\u20e3")
}
