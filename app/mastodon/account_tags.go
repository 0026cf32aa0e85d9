package mastodon

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"

	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
)

// HashtagEntity is Mastodon's Tag outside statuses: with its use over the
// last week and, for a logged-in caller, whether they follow and feature
// it. (Tag, for statuses, has no featuring.)
type HashtagEntity struct {
	ID        string       `json:"id"`
	Name      string       `json:"name"`
	URL       string       `json:"url"`
	History   []TagHistory `json:"history"`
	Following *bool        `json:"following,omitempty"`
	Featuring *bool        `json:"featuring,omitempty"`
}

// FeaturedTag is Mastodon's FeaturedTag.
type FeaturedTag struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	StatusesCount string  `json:"statuses_count"`
	LastStatusAt  *string `json:"last_status_at"`
}

// tagHistoryDays is how many days of use a Tag shows, as Mastodon's.
const tagHistoryDays = 7

// hashtagName reads a hashtag as a path or parameter gives it ('#'
// optional) and returns it as posts index it (NFKC, lower case); ok is
// false when it is no hashtag by the rule posts are parsed with.
func hashtagName(raw string) (string, bool) {
	name := strings.TrimPrefix(strings.TrimSpace(raw), "#")
	if name == "" || strings.ContainsAny(name, "# \t\r\n") {
		return "", false
	}
	p := text.Render("#"+name, text.RenderOptions{})
	want := strings.ToLower(norm.NFKC.String(name))
	if len(p.Hashtags) != 1 || p.Hashtags[0] != want {
		return "", false
	}
	return want, true
}

// hashtags renders tags (normalised names) with their history and the
// caller's follow and feature, in three queries for the lot.
func (c *call) hashtags(names []string) ([]*HashtagEntity, error) {
	infos, err := store.TagInfos(c.ctx(), c.api.In.DB, c.viewerID(), names)
	if err != nil {
		return nil, err
	}
	hist, err := store.TagHistories(c.ctx(), c.api.In.DB, names, tagHistoryDays)
	if err != nil {
		return nil, err
	}
	out := make([]*HashtagEntity, 0, len(infos))
	for _, t := range infos {
		h := &HashtagEntity{Name: t.Name, URL: c.baseURL() + "/tags/" + url.PathEscape(t.Name), History: []TagHistory{}}
		if t.ID != 0 {
			h.ID = strconv.FormatInt(t.ID, 10)
		}
		for _, d := range hist[t.Name] {
			h.History = append(h.History, TagHistory{Day: strconv.FormatInt(d.Day.Unix(), 10),
				Uses: strconv.Itoa(d.Uses), Accounts: strconv.Itoa(d.Accounts)})
		}
		if c.viewer != nil {
			following, featuring := t.Following, t.Featuring
			h.Following, h.Featuring = &following, &featuring
		}
		out = append(out, h)
	}
	return out, nil
}

// answerTag answers one tag.
func (c *call) answerTag(name string) {
	list, err := c.hashtags([]string{name})
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.ok(list[0])
}

// pathTag reads the {name} path parameter, answering 404 when it is no
// hashtag (as Mastodon does).
func (c *call) pathTag() (string, bool) {
	name, ok := hashtagName(c.r.PathValue("name"))
	if !ok {
		c.notFound()
	}
	return name, ok
}

// getTag shows a hashtag, known here or not (an unknown one has no id
// yet, as in Mastodon).
func (a *API) getTag(c *call) {
	if name, ok := c.pathTag(); ok {
		c.answerTag(name)
	}
}

func (a *API) followTag(c *call) {
	name, ok := c.pathTag()
	if !ok {
		return
	}
	if err := store.EnsureHashtag(c.ctx(), a.In.DB, name); err != nil {
		a.fail(c, err)
		return
	}
	if err := a.In.FollowHashtag(c.ctx(), c.viewer, name); err != nil {
		a.fail(c, err)
		return
	}
	c.answerTag(name)
}

func (a *API) unfollowTag(c *call) {
	name, ok := c.pathTag()
	if !ok {
		return
	}
	if err := a.In.UnfollowHashtag(c.ctx(), c.viewer, name); err != nil {
		a.fail(c, err)
		return
	}
	c.answerTag(name)
}

// followedTags lists the tags the caller follows, newest follow first,
// paged by the follow (Link header).
func (a *API) followedTags(c *call) {
	list, err := store.FollowedTags(c.ctx(), a.In.DB, c.viewer.ID, c.page(100, 200))
	if err != nil {
		a.fail(c, err)
		return
	}
	names := make([]string, len(list))
	for k, t := range list {
		names[k] = t.Name
	}
	out, err := c.hashtags(names)
	if err != nil {
		a.fail(c, err)
		return
	}
	if n := len(list); n > 0 {
		c.link(idStr(list[0].Key), idStr(list[n-1].Key))
	}
	c.ok(out)
}

// feature features the tag raw names for the caller and returns the
// featured tag's id and the tag's name; ok is false after an error answer.
func (a *API) feature(c *call, raw string) (model.ID, string, bool) {
	name, ok := hashtagName(raw)
	if !ok {
		c.invalid("Name is invalid")
		return 0, "", false
	}
	id, err := a.In.FeatureHashtag(c.ctx(), c.viewer, name)
	if errors.Is(err, store.ErrTooManyFeaturedTags) {
		c.invalid("You have already featured the maximum number of hashtags (%d)", store.MaxFeaturedTags)
		return 0, "", false
	}
	if err != nil {
		a.fail(c, err)
		return 0, "", false
	}
	return id, name, true
}

// featureTag is POST /api/v1/featured_tags: the FeaturedTag.
func (a *API) featureTag(c *call) {
	id, _, ok := a.feature(c, c.params.str("name"))
	if !ok {
		return
	}
	list, err := c.featuredTags(c.viewer)
	if err != nil {
		a.fail(c, err)
		return
	}
	for _, t := range list {
		if t.ID == idStr(id) {
			c.ok(t)
			return
		}
	}
	c.notFound() // unfeatured meanwhile
}

// featureTagByName is POST /api/v1/tags/:name/feature: the Tag.
func (a *API) featureTagByName(c *call) {
	if _, name, ok := a.feature(c, c.r.PathValue("name")); ok {
		c.answerTag(name)
	}
}

func (a *API) unfeatureTagByName(c *call) {
	name, ok := c.pathTag()
	if !ok {
		return
	}
	if _, err := a.In.UnfeatureHashtag(c.ctx(), c.viewer, 0, name); err != nil {
		a.fail(c, err)
		return
	}
	c.answerTag(name)
}

// unfeatureTag is DELETE /api/v1/featured_tags/:id: an empty object, or
// 404 for a featured tag that is not the caller's.
func (a *API) unfeatureTag(c *call) {
	id, ok := pathID(c.r, "id")
	if !ok {
		c.notFound()
		return
	}
	if c.found(a.In.UnfeatureHashtag(c.ctx(), c.viewer, id, "")) {
		c.ok(struct{}{})
	}
}

// featuredTags renders the tags i features.
func (c *call) featuredTags(i *model.Identity) ([]FeaturedTag, error) {
	list, err := store.FeaturedTags(c.ctx(), c.api.In.DB, i.ID)
	if err != nil {
		return nil, err
	}
	profile := i.URL
	if profile == "" {
		profile = i.URI
	}
	out := make([]FeaturedTag, len(list))
	for k, t := range list {
		out[k] = FeaturedTag{
			ID:            idStr(t.ID),
			Name:          t.Name,
			URL:           strings.TrimSuffix(profile, "/") + "/tagged/" + url.PathEscape(t.Name),
			StatusesCount: strconv.Itoa(t.Statuses),
		}
		if t.Last != nil {
			day := t.Last.UTC().Format("2006-01-02")
			out[k].LastStatusAt = &day
		}
	}
	return out, nil
}

func (a *API) featuredTags(c *call) {
	out, err := c.featuredTags(c.viewer)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out)
}

func (a *API) accountFeaturedTags(c *call) {
	i := c.pathAccount("id")
	if i == nil {
		return
	}
	out, err := c.featuredTags(i)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out)
}

// featuredTagSuggestions offers the tags the caller used most lately and
// does not feature yet.
func (a *API) featuredTagSuggestions(c *call) {
	names, err := store.MostUsedTags(c.ctx(), a.In.DB, c.viewer.ID, 10)
	if err != nil {
		a.fail(c, err)
		return
	}
	out, err := c.hashtags(names)
	if err != nil {
		a.fail(c, err)
		return
	}
	c.ok(out)
}
