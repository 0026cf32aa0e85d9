package mastodon

import (
	"fmt"
	"html"

	"pukeko/app/model"
)

func htmlEscape(s string) string { return html.EscapeString(s) }

// attachment renders a media attachment with the addresses clients fetch
// it from: our files, or remote files through our media proxy.
func (rd *renderer) attachment(a *model.Attachment) (*MediaAttachment, error) {
	m := &MediaAttachment{ID: idStr(a.ID), Type: a.Kind}
	if a.Kind == model.MediaGifv && a.ContentType == "image/gif" {
		// Clients play gifv as video; a GIF file is shown as an image.
		m.Type = model.MediaImage
	}
	if media := rd.c.api.In.Media; media != nil && a.State != "processing" {
		u, preview, remote, err := media.AttachmentURLs(rd.ctx(), rd.c.host, a)
		if err != nil {
			return nil, err
		}
		if u != "" {
			m.URL = &u
		}
		if preview != "" {
			m.PreviewURL = &preview
		}
		if remote != "" {
			m.RemoteURL = &remote
		}
	}
	if a.Description != "" {
		d := a.Description
		m.Description = &d
	}
	if a.Blurhash != "" {
		b := a.Blurhash
		m.Blurhash = &b
	}
	meta := map[string]any{}
	if a.Width > 0 && a.Height > 0 {
		meta["original"] = dims(a.Width, a.Height, a.Duration)
		if a.ThumbnailWidth > 0 && a.ThumbnailHeight > 0 {
			meta["small"] = dims(a.ThumbnailWidth, a.ThumbnailHeight, 0)
		}
	} else if a.Duration > 0 {
		meta["original"] = map[string]any{"duration": a.Duration}
	}
	if m.Type == model.MediaImage || m.Type == model.MediaGifv {
		meta["focus"] = map[string]any{"x": a.FocusX, "y": a.FocusY}
	}
	m.Meta = meta
	return m, nil
}

func dims(w, h int, duration float64) map[string]any {
	d := map[string]any{
		"width":  w,
		"height": h,
		"size":   fmt.Sprintf("%dx%d", w, h),
		"aspect": float64(w) / float64(h),
	}
	if duration > 0 {
		d["duration"] = duration
	}
	return d
}
