package mastodon

import (
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"pukeko/app/media"
	"pukeko/app/model"
	"pukeko/app/store"
)

func (a *API) registerMedia(mux Mux) {
	a.route(mux, "POST /api/v1/media", userToken, "write write:media", a.uploadMedia(true))
	a.route(mux, "POST /api/v2/media", userToken, "write write:media", a.uploadMedia(false))
	a.route(mux, "GET /api/v1/media/{id}", userToken, "write write:media", a.getMedia)
	a.route(mux, "PUT /api/v1/media/{id}", userToken, "write write:media", a.updateMedia)
	a.route(mux, "DELETE /api/v1/media/{id}", userToken, "write write:media", a.deleteMedia)
}

// readUpload reads an uploaded file up to limit bytes.
func readUpload(fh *multipart.FileHeader, limit int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// focus parses Mastodon's "x,y" focal point.
func focus(s string) (float64, float64, bool) {
	if strings.TrimSpace(s) == "" {
		return 0, 0, true
	}
	xs, ys, ok := strings.Cut(s, ",")
	x, err1 := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	if !ok || err1 != nil || err2 != nil || x < -1 || x > 1 || y < -1 || y > 1 {
		return 0, 0, false
	}
	return x, y, true
}

// uploadMedia is POST /api/v1/media (processed before answering) and
// /api/v2/media (large images answer 202 while Stator processes them).
func (a *API) uploadMedia(sync bool) handlerFunc {
	return func(c *call) {
		fh := c.params.file("file")
		if fh == nil {
			c.invalid("File can't be blank")
			return
		}
		limits := a.In.Media.Limits
		limit := max(limits.MaxImageSize, limits.MaxVideoSize, limits.MaxAudioSize)
		data, err := readUpload(fh, limit)
		if err != nil {
			c.errorf(http.StatusBadRequest, "Unreadable upload")
			return
		}
		x, y, ok := focus(c.params.str("focus"))
		if !ok {
			c.invalid("Focus must be two numbers between -1 and 1")
			return
		}
		desc := c.params.str("description")
		if len([]rune(desc)) > 1500 {
			c.invalid("Description is too long (maximum is 1500 characters)")
			return
		}
		att, err := a.In.Media.Upload(c.ctx(), c.viewer.ID, data, media.UploadOptions{Description: desc, FocusX: x, FocusY: y, Sync: sync})
		if err != nil {
			c.socialError(err)
			return
		}
		c.answerAttachment(att, http.StatusAccepted)
	}
}

// answerAttachment renders an upload, answered with the status
// processing while it is processed (which differs by endpoint), else 200.
func (c *call) answerAttachment(att *model.Attachment, processing int) {
	m, err := c.renderer().attachment(att)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	status := http.StatusOK
	if att.State == media.AttachmentProcessing {
		status = processing
	}
	writeJSON(c.w, status, m)
}

// ownMedia loads the caller's upload of the {id} path parameter, or
// answers 404.
func (c *call) ownMedia() *model.Attachment {
	return viewerOwn(c, "id", func(ctx context.Context, db store.DB, owner, id model.ID) (*model.Attachment, error) {
		att, err := store.AttachmentByID(ctx, db, id)
		if err != nil || att == nil || att.OwnerID != owner {
			return nil, err
		}
		return att, nil
	})
}

// getMedia answers 206 while an upload is processed, 200 when done.
func (a *API) getMedia(c *call) {
	if att := c.ownMedia(); att != nil {
		c.answerAttachment(att, http.StatusPartialContent)
	}
}

func (a *API) updateMedia(c *call) {
	att := c.ownMedia()
	if att == nil {
		return
	}
	desc := att.Description
	if d := c.params.strPtr("description"); d != nil {
		desc = *d
	}
	if len([]rune(desc)) > 1500 {
		c.invalid("Description is too long (maximum is 1500 characters)")
		return
	}
	x, y := att.FocusX, att.FocusY
	if c.params.has("focus") {
		var ok bool
		if x, y, ok = focus(c.params.str("focus")); !ok {
			c.invalid("Focus must be two numbers between -1 and 1")
			return
		}
	}
	if err := store.UpdateAttachmentMeta(c.ctx(), a.In.DB, att.ID, desc, x, y); err != nil {
		a.fail(c, err)
		return
	}
	att.Description, att.FocusX, att.FocusY = desc, x, y
	c.answerAttachment(att, http.StatusOK)
}

// deleteMedia deletes an upload no post has taken.
func (a *API) deleteMedia(c *call) {
	att := c.ownMedia()
	if att == nil {
		return
	}
	if att.PostID != 0 {
		c.errorf(http.StatusUnprocessableEntity, "Media attachment is currently used by a status")
		return
	}
	if err := store.DeleteAttachment(c.ctx(), a.In.DB, att.ID); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}
