package social

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// Custom emoji, as Mastodon does them: a post keeps :shortcode: in its
// text and HTML, and its Note names each emoji it uses in an Emoji tag
// (id, name ":shortcode:", icon). Emoji met in remote posts are stored
// under their author's domain and linked to the post; local posts link
// the local emoji (domain "") their text uses.

// shortcodePattern finds :shortcode: in text.
var shortcodePattern = regexp.MustCompile(`:([a-zA-Z0-9_]{2,64}):`)

// validShortcode is what a shortcode may be.
var validShortcode = regexp.MustCompile(`^[a-zA-Z0-9_]{2,64}$`)

// shortcodesIn returns the distinct shortcodes text uses.
func shortcodesIn(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range shortcodePattern.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// linkLocalEmoji links a local post to the local emoji its text uses.
func (in *Instance) linkLocalEmoji(ctx context.Context, db store.DB, p *model.Post) error {
	found, err := store.EmojiByShortcodes(ctx, db, "", shortcodesIn(p.Source))
	if err != nil {
		return err
	}
	ids := make([]model.ID, len(found))
	for k, e := range found {
		ids[k] = e.ID
	}
	return store.SetPostEmoji(ctx, db, p.ID, ids)
}

// parseEmojiTags reads the Emoji tags of a post object: shortcode (without
// colons), image URL and media type, and the Emoji's id.
func parseEmojiTags(obj ap.Object) []*model.Emoji {
	var out []*model.Emoji
	for _, t := range obj.Objects("tag") {
		if t.Type() != "Emoji" {
			continue
		}
		code := strings.Trim(strings.TrimSpace(t.String("name")), ":")
		icon := t.Embedded("icon")
		if !validShortcode.MatchString(code) || icon == nil {
			continue
		}
		img := icon.Ref("url")
		if u, err := url.Parse(img); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			continue
		}
		out = append(out, &model.Emoji{Shortcode: code, ImageURL: img, MediaType: icon.String("mediaType"), URI: t.ID()})
	}
	return out
}

// storeRemoteEmoji stores the emoji of a remote post object (under its
// author's domain) and links them to the post.
func (in *Instance) storeRemoteEmoji(ctx context.Context, db store.DB, author *model.Identity, obj ap.Object, postID model.ID) error {
	if author.Domain == "" {
		return nil
	}
	var ids []model.ID
	var images []string
	for _, e := range parseEmojiTags(obj) {
		e.Domain = author.Domain
		if err := store.SaveEmoji(ctx, db, e); err != nil {
			return err
		}
		ids = append(ids, e.ID)
		images = append(images, e.ImageURL)
	}
	// Their images go to the remote media cache.
	if err := store.QueueRemoteMedia(ctx, db, images); err != nil {
		return err
	}
	return store.SetPostEmoji(ctx, db, postID, ids)
}

// emojiTag renders an Emoji tag; local emoji get an id on the post's host.
func emojiTag(e *model.Emoji, p *model.Post) map[string]any {
	id := e.URI
	if id == "" {
		if u, err := url.Parse(p.URI); err == nil {
			id = fmt.Sprintf("%s://%s/emoji/%d", u.Scheme, u.Host, e.ID)
		}
	}
	icon := map[string]any{"type": "Image", "url": e.ImageURL}
	if e.MediaType != "" {
		icon["mediaType"] = e.MediaType
	}
	return map[string]any{"id": id, "type": "Emoji", "name": ":" + e.Shortcode + ":", "updated": ap.Timestamp(e.Updated), "icon": icon}
}

// addEmojiTags adds the Emoji tags of the emoji a post uses to its
// rendered note. A local post is linked again first: CreatePost links its
// emoji after inserting it, and fan-out may already run in between.
func (in *Instance) addEmojiTags(ctx context.Context, note map[string]any, p *model.Post) error {
	if p.Local {
		if err := in.linkLocalEmoji(ctx, in.DB, p); err != nil {
			return err
		}
	}
	emoji, err := store.PostEmoji(ctx, in.DB, p.ID)
	if err != nil || len(emoji) == 0 {
		return err
	}
	tags, _ := note["tag"].([]any)
	for _, e := range emoji {
		tags = append(tags, emojiTag(e, p))
	}
	note["tag"] = tags
	return nil
}
