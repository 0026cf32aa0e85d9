package ap

import (
	"math"
	"net/url"
	"strings"

	"pukeko/app/model"
)

// MaxAttachments is how many attachments of a remote post are kept; more
// are dropped (Mastodon keeps 4, other servers send up to 16 or more).
const MaxAttachments = 16

// ParseAttachments reads the attachment array of a remote post: Document,
// Image, Video and Audio objects with an http(s) url. PropertyValue and
// Link entries (Misskey, Pleroma) are not media and are skipped. The
// returned attachments are remote and belong to no post yet.
func ParseAttachments(o Object) []*model.Attachment {
	var out []*model.Attachment
	for _, a := range o.Objects("attachment") {
		if len(out) == MaxAttachments {
			break
		}
		typ := a.Type()
		if typ != "Document" && typ != "Image" && typ != "Video" && typ != "Audio" {
			continue
		}
		href, mediaType := attachmentURL(a)
		if u, err := url.Parse(href); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			continue
		}
		att := &model.Attachment{
			RemoteURL:   href,
			ContentType: mediaType,
			Kind:        attachmentKind(typ, mediaType),
			Description: truncateRunes(strings.TrimSpace(a.String("name")), 1500),
			Blurhash:    truncateRunes(a.String("blurhash"), 100),
			Width:       intOf(a["width"]),
			Height:      intOf(a["height"]),
		}
		if fp, ok := a["focalPoint"].([]any); ok && len(fp) == 2 {
			att.FocusX, att.FocusY = focus(fp[0]), focus(fp[1])
		}
		out = append(out, att)
	}
	return out
}

// attachmentURL is an attachment's address and media type: url may be a
// string, a Link object or an array of them (PeerTube sends several).
func attachmentURL(a Object) (string, string) {
	mediaType := a.String("mediaType")
	switch u := a["url"].(type) {
	case string:
		return u, mediaType
	case map[string]any:
		l := Object(u)
		if mt := l.String("mediaType"); mt != "" {
			mediaType = mt
		}
		return l.String("href"), mediaType
	case []any:
		for _, e := range u {
			switch l := e.(type) {
			case string:
				return l, mediaType
			case map[string]any:
				if href := Object(l).String("href"); href != "" {
					if mt := Object(l).String("mediaType"); mt != "" {
						mediaType = mt
					}
					return href, mediaType
				}
			}
		}
	}
	return "", mediaType
}

// attachmentKind names an attachment as Mastodon does, from its type and
// media type.
func attachmentKind(typ, mediaType string) string {
	switch {
	case mediaType == "image/gif":
		return model.MediaGifv
	case strings.HasPrefix(mediaType, "image/") || typ == "Image":
		return model.MediaImage
	case strings.HasPrefix(mediaType, "video/") || typ == "Video":
		return model.MediaVideo
	case strings.HasPrefix(mediaType, "audio/") || typ == "Audio":
		return model.MediaAudio
	}
	return model.MediaUnknown
}

func intOf(v any) int {
	f, ok := v.(float64)
	if !ok || f < 0 || f > 1<<20 || math.IsNaN(f) {
		return 0
	}
	return int(f)
}

func focus(v any) float64 {
	f, ok := v.(float64)
	if !ok || math.IsNaN(f) {
		return 0
	}
	return math.Max(-1, math.Min(1, f))
}

func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// RenderAttachment is an attachment as Mastodon sends it: a Document with
// the media type, the address, alt text, blurhash, focal point and size.
func RenderAttachment(a *model.Attachment, href string) map[string]any {
	d := map[string]any{
		"type":      "Document",
		"mediaType": a.ContentType,
		"url":       href,
		"name":      nil,
	}
	if a.Description != "" {
		d["name"] = a.Description
	}
	if a.Blurhash != "" {
		d["blurhash"] = a.Blurhash
	}
	if a.Kind == model.MediaImage || a.Kind == model.MediaGifv {
		d["focalPoint"] = []any{a.FocusX, a.FocusY}
	}
	if a.Width > 0 && a.Height > 0 {
		d["width"], d["height"] = a.Width, a.Height
	}
	return d
}
