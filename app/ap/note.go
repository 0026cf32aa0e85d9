package ap

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/text"
)

// PostTypes are the object types stored as posts.
var PostTypes = map[string]bool{"Note": true, "Question": true, "Article": true, "Page": true}

// noteContext is the JSON-LD context of posts, with the extensions Mastodon
// reads.
var noteContext = []any{
	"https://www.w3.org/ns/activitystreams",
	map[string]any{
		"sensitive":   "as:sensitive",
		"Hashtag":     "as:Hashtag",
		"toot":        "http://joinmastodon.org/ns#",
		"Emoji":       "toot:Emoji",
		"votersCount": "toot:votersCount",
		// Quote posts (FEP-044f) and quote policies (GoToSocial's terms),
		// as Mastodon names them.
		"gts":                "https://gotosocial.org/ns#",
		"interactionPolicy":  map[string]any{"@id": "gts:interactionPolicy", "@type": "@id"},
		"canQuote":           map[string]any{"@id": "gts:canQuote", "@type": "@id"},
		"automaticApproval":  map[string]any{"@id": "gts:automaticApproval", "@type": "@id"},
		"manualApproval":     map[string]any{"@id": "gts:manualApproval", "@type": "@id"},
		"quote":              map[string]any{"@id": "https://w3id.org/fep/044f#quote", "@type": "@id"},
		"quoteAuthorization": map[string]any{"@id": "https://w3id.org/fep/044f#quoteAuthorization", "@type": "@id"},
		"quoteUri":           "http://fedibird.com/ns#quoteUri",
		"_misskey_quote":     "https://misskey-hub.net/ns#_misskey_quote",
	},
}

// Audience returns the to and cc of a post, as Mastodon addresses them:
// public: to Public, cc followers and the mentioned; unlisted: to
// followers, cc Public and the mentioned; private: to followers, cc the
// mentioned; direct: to the mentioned. Local posts are addressed to nobody.
func Audience(p *model.Post, author *model.Identity, mentions []*model.Identity) (to, cc []string) {
	var mentioned []string
	for _, m := range mentions {
		mentioned = append(mentioned, m.URI)
	}
	to, cc = []string{}, []string{}
	switch p.Visibility {
	case model.VisibilityPublic:
		to = []string{Public}
		cc = append([]string{author.FollowersURI}, mentioned...)
	case model.VisibilityUnlisted:
		to = []string{author.FollowersURI}
		cc = append([]string{Public}, mentioned...)
	case model.VisibilityPrivate:
		to = []string{author.FollowersURI}
		cc = append(cc, mentioned...)
	case model.VisibilityDirect:
		to = append(to, mentioned...)
	}
	return to, cc
}

// RenderNote renders a post as its ActivityPub object (without @context:
// see WithContext), mentioning mentions (the identities of p.Mentions).
func RenderNote(p *model.Post, author *model.Identity, mentions []*model.Identity) map[string]any {
	to, cc := Audience(p, author, mentions)
	typ := p.ObjectType
	if typ == "" {
		typ = "Note"
	}
	n := map[string]any{
		"id":           p.URI,
		"type":         typ,
		"attributedTo": author.URI,
		"content":      p.Content,
		"published":    Timestamp(p.Published),
		"url":          p.URL,
		"to":           to,
		"cc":           cc,
		"sensitive":    p.Sensitive,
		"inReplyTo":    nil,
		// Media attachments arrive with media; the key is always present,
		// as Mastodon's is.
		"attachment": []any{},
		"replies": map[string]any{
			"id":    p.URI + "/replies",
			"type":  "Collection",
			"first": p.URI + "/replies?page=1",
		},
	}
	if p.Summary != "" {
		n["summary"] = p.Summary
	} else {
		n["summary"] = nil
	}
	if p.Title != "" {
		n["name"] = p.Title
	}
	if p.Language != "" {
		n["contentMap"] = map[string]any{p.Language: p.Content}
	}
	if p.InReplyToURI != "" {
		n["inReplyTo"] = p.InReplyToURI
	}
	if p.Context != "" {
		// context for Pleroma, Akkoma and Misskey; conversation for
		// Mastodon, which reads that name.
		n["context"] = p.Context
		n["conversation"] = p.Context
	}
	if p.Edited != nil {
		n["updated"] = Timestamp(*p.Edited)
	}
	tags := []any{}
	for _, m := range mentions {
		name := "@" + m.Username
		if m.Domain != "" {
			name += "@" + m.Domain
		}
		tags = append(tags, map[string]any{"type": "Mention", "href": m.URI, "name": name})
	}
	base := baseOf(p.URL)
	for _, h := range p.Hashtags {
		tags = append(tags, map[string]any{"type": "Hashtag", "href": base + "/tags/" + url.PathEscape(h), "name": "#" + h})
	}
	n["tag"] = tags
	return n
}

// WithContext returns a copy of an object rendered on its own, with the
// context of posts.
func WithContext(o map[string]any) map[string]any {
	out := make(map[string]any, len(o)+1)
	for k, v := range o {
		out[k] = v
	}
	out["@context"] = noteContext
	return out
}

// PostActivity renders a Create or Update (typ) of a rendered note by
// actor, addressed like the note.
func PostActivity(typ, id, actor string, note map[string]any) map[string]any {
	a := NewActivity(typ, id, actor, note)
	a["@context"] = noteContext
	a["to"], a["cc"] = note["to"], note["cc"]
	if typ == "Create" {
		a["published"] = note["published"]
	} else if u, ok := note["updated"]; ok {
		a["published"] = u
	}
	return a
}

// DeleteActivity renders the Delete of a post, with a Tombstone, addressed
// like the post.
func DeleteActivity(p *model.Post, author *model.Identity, mentions []*model.Identity) map[string]any {
	to, cc := Audience(p, author, mentions)
	a := NewActivity("Delete", p.URI+"#delete", author.URI, map[string]any{
		"id":         p.URI,
		"type":       "Tombstone",
		"atomUri":    p.URI,
		"formerType": p.ObjectType,
	})
	a["to"], a["cc"] = to, cc
	return a
}

func baseOf(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.Host == "" {
		return ""
	}
	return parsed.Scheme + "://" + parsed.Host
}

// ParsedNote is what ParseNote reads from a post object.
type ParsedNote struct {
	Post *model.Post
	// MentionURIs are the actor URIs of the Mention tags.
	MentionURIs []string
}

// ErrNotPost means an object is not one stored as a post.
var ErrNotPost = errors.New("not a post")

// ParseNote reads a post object from another server, tolerantly, for
// author: the content is sanitized, the audience gives the visibility
// (Public in to: public; Public in cc: unlisted; the author's followers:
// private; otherwise direct). Attribution and origin are the caller's to
// check.
func ParseNote(o Object, author *model.Identity) (*ParsedNote, error) {
	if !PostTypes[o.Type()] {
		return nil, fmt.Errorf("%w: type %q", ErrNotPost, o.Type())
	}
	if o.ID() == "" {
		return nil, fmt.Errorf("%w: no id", ErrNotPost)
	}
	content := o.String("content")
	language := ""
	if cm := o.Embedded("contentMap"); cm != nil {
		keys := make([]string, 0, len(cm))
		for k := range cm {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if s, ok := cm[k].(string); ok {
				language = k
				if content == "" {
					content = s
				}
				break
			}
		}
	}
	p := &model.Post{
		AuthorID:     author.ID,
		URI:          o.ID(),
		URL:          o.Ref("url"),
		ObjectType:   o.Type(),
		Visibility:   visibilityOf(o, author),
		Content:      text.Sanitize(content),
		Summary:      strings.TrimSpace(text.PlainText(o.String("summary"))),
		Sensitive:    o.Bool("sensitive"),
		Language:     language,
		InReplyToURI: o.Ref("inReplyTo"),
		Context:      firstNonEmpty(o.Ref("context"), o.Ref("conversation")),
		Published:    parseTime(o.String("published")),
	}
	if p.URL == "" {
		p.URL = p.URI
	}
	if p.ObjectType == "Article" || p.ObjectType == "Page" {
		p.Title = strings.TrimSpace(text.PlainText(o.String("name")))
	}
	if p.Summary != "" {
		p.Sensitive = true // a content warning hides the content, as in Mastodon
	}
	if u := o.String("updated"); u != "" {
		t := parseTime(u)
		p.Edited = &t
	}
	n := &ParsedNote{Post: p}
	seenTags := map[string]bool{}
	for _, tag := range o.Objects("tag") {
		switch tag.Type() {
		case "Mention":
			if href := tag.Ref("href"); href != "" && !slices.Contains(n.MentionURIs, href) {
				n.MentionURIs = append(n.MentionURIs, href)
			}
		case "Hashtag":
			name := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag.String("name")), "#"))
			if name != "" && !seenTags[name] {
				seenTags[name] = true
				p.Hashtags = append(p.Hashtags, name)
			}
		}
	}
	return n, nil
}

func visibilityOf(o Object, author *model.Identity) string {
	to, cc := o.Refs("to"), o.Refs("cc")
	isPublic := func(s string) bool { return s == Public || s == "as:Public" || s == "Public" }
	if slices.ContainsFunc(to, isPublic) {
		return model.VisibilityPublic
	}
	if slices.ContainsFunc(cc, isPublic) {
		return model.VisibilityUnlisted
	}
	isFollowers := func(s string) bool {
		if author.FollowersURI != "" {
			return s == author.FollowersURI
		}
		return strings.HasSuffix(s, "/followers")
	}
	if slices.ContainsFunc(to, isFollowers) || slices.ContainsFunc(cc, isFollowers) {
		return model.VisibilityPrivate
	}
	return model.VisibilityDirect
}

// parseTime reads an ActivityStreams timestamp, now when it is missing or
// unreadable.
func parseTime(s string) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return time.Now()
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
