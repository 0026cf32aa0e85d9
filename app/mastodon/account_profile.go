package mastodon

import (
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// fullCredentialAccount renders the caller's own account with the source
// values kept in its preferences (privacy, sensitive, language) and its
// pending follow requests. GET verify_credentials should answer the same
// (credentials.go renders a fixed source today).
func (c *call) fullCredentialAccount(i *model.Identity) (*Account, error) {
	acc, err := c.credentialAccount(i)
	if err != nil {
		return nil, err
	}
	prefs, err := store.IdentityPreferences(c.ctx(), c.api.In.DB, i.ID)
	if err != nil {
		return nil, err
	}
	n, err := store.FollowRequestCount(c.ctx(), c.api.In.DB, i.ID)
	if err != nil {
		return nil, err
	}
	acc.Source.Privacy = prefs.DefaultVisibility
	acc.Source.Sensitive = prefs.DefaultSensitive
	acc.Source.FollowRequestsCount = n
	acc.Source.Language = nil
	if prefs.DefaultLanguage != "" {
		l := prefs.DefaultLanguage
		acc.Source.Language = &l
	}
	return acc, nil
}

// maxProfileImage bounds an uploaded avatar or header before processing
// (Mastodon: 2 MB for avatars; media processing has its own limits).
const maxProfileImage = 16 << 20

// fieldAttr matches fields_attributes[0][name] and fields_attributes[][value].
var fieldAttr = regexp.MustCompile(`^fields_attributes\[(\d*)\]\[(name|value)\]$`)

// profileFields reads fields_attributes in both shapes clients send:
// indexed (fields_attributes[0][name], also what JSON arrays and objects
// flatten to) and positional (fields_attributes[][name] repeated). nil
// when none were sent.
func (c *call) profileFields() *[]model.Field {
	indexed := map[int]*model.Field{}
	var names, values []string
	sent := false
	for k, v := range c.params.values {
		m := fieldAttr.FindStringSubmatch(k)
		if m == nil || len(v) == 0 {
			continue
		}
		sent = true
		if m[1] == "" {
			if m[2] == "name" {
				names = v
			} else {
				values = v
			}
			continue
		}
		n, err := strconv.Atoi(m[1])
		if err != nil || n > 100 {
			continue
		}
		f := indexed[n]
		if f == nil {
			f = &model.Field{}
			indexed[n] = f
		}
		if m[2] == "name" {
			f.Name = v[0]
		} else {
			f.Value = v[0]
		}
	}
	if !sent {
		return nil
	}
	keys := make([]int, 0, len(indexed))
	for n := range indexed {
		keys = append(keys, n)
	}
	sort.Ints(keys)
	fields := []model.Field{}
	for _, n := range keys {
		fields = append(fields, *indexed[n])
	}
	for k := 0; k < max(len(names), len(values)); k++ {
		var f model.Field
		if k < len(names) {
			f.Name = names[k]
		}
		if k < len(values) {
			f.Value = values[k]
		}
		fields = append(fields, f)
	}
	return &fields
}

// upload reads an uploaded file of name; nil when none was sent.
func (c *call) upload(name string) (*[]byte, error) {
	fh := c.params.file(name)
	if fh == nil {
		return nil, nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxProfileImage+1))
	if err != nil {
		return nil, err
	}
	return &data, nil
}

// updateCredentials edits the caller's profile and posting defaults.
func (a *API) updateCredentials(c *call) {
	me, ok := c.editProfile()
	if !ok {
		return
	}
	acc, err := c.fullCredentialAccount(me)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(acc)
}

// editProfile applies the profile parameters of update_credentials and
// PATCH /api/v1/profile (names, bio, fields, flags, images, posting
// defaults) and returns the caller as edited; ok is false once an error
// was answered.
func (c *call) editProfile() (*model.Identity, bool) {
	a := c.api
	e := social.ProfileEdit{
		Name:            c.params.strPtr("display_name"),
		Bio:             c.params.strPtr("note"),
		Fields:          c.profileFields(),
		Locked:          c.params.boolPtr("locked"),
		Bot:             c.params.boolPtr("bot"),
		Discoverable:    c.params.boolPtr("discoverable"),
		Indexable:       c.params.boolPtr("indexable"),
		HideCollections: c.params.boolPtr("hide_collections"),
	}
	var err error
	for name, to := range map[string]**[]byte{"avatar": &e.Avatar, "header": &e.Header} {
		if *to, err = c.upload(name); err != nil {
			c.invalid("%s could not be read", strings.ToUpper(name[:1])+name[1:])
			return nil, false
		}
		if *to != nil && len(**to) > maxProfileImage {
			c.invalid("%s is too large", strings.ToUpper(name[:1])+name[1:])
			return nil, false
		}
	}
	prefs, changed, ok := c.sourcePreferences()
	if !ok {
		return nil, false
	}
	me := c.viewer
	if e != (social.ProfileEdit{}) {
		if me, err = a.In.UpdateProfile(c.ctx(), c.viewer, e); err != nil {
			c.socialError(err)
			return nil, false
		}
	}
	if changed {
		if err := a.In.SavePreferences(c.ctx(), me, prefs); err != nil {
			a.fail(c, err)
			return nil, false
		}
	}
	return me, true
}

// sourcePreferences applies source[privacy], source[sensitive] and
// source[language] to the caller's preferences; ok is false after a 422.
func (c *call) sourcePreferences() (store.Preferences, bool, bool) {
	prefs, err := store.IdentityPreferences(c.ctx(), c.api.In.DB, c.viewer.ID)
	if err != nil {
		c.api.fail(c, err)
		return prefs, false, false
	}
	changed := false
	if v := c.params.strPtr("source[privacy]"); v != nil {
		switch *v {
		case model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate:
			prefs.DefaultVisibility = *v
		default:
			c.invalid("Setting default privacy is not included in the list")
			return prefs, false, false
		}
		changed = true
	}
	if v := c.params.boolPtr("source[sensitive]"); v != nil {
		prefs.DefaultSensitive, changed = *v, true
	}
	if v := c.params.strPtr("source[language]"); v != nil {
		l := strings.TrimSpace(*v)
		if l != "" && !validLanguage(l) {
			c.invalid("Setting default language is not included in the list")
			return prefs, false, false
		}
		prefs.DefaultLanguage, changed = l, true
	}
	return prefs, changed, true
}

// preferences answers Mastodon's preferences of the caller.
func (a *API) preferences(c *call) {
	p, err := store.IdentityPreferences(c.ctx(), a.In.DB, c.viewer.ID)
	if err != nil {
		a.fail(c, err)
		return
	}
	var lang *string
	if p.DefaultLanguage != "" {
		lang = &p.DefaultLanguage
	}
	c.ok(map[string]any{
		"posting:default:visibility": p.DefaultVisibility,
		"posting:default:sensitive":  p.DefaultSensitive,
		"posting:default:language":   lang,
		"reading:expand:media":       p.ExpandMedia,
		"reading:expand:spoilers":    p.ExpandSpoilers,
		"reading:autoplay:gifs":      p.AutoplayGifs,
	})
}
