package media

import (
	"context"
	"errors"
	"io"
	"time"

	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// States of an attachment (media_attachments).
const (
	AttachmentProcessing = "processing" // an upload Stator still has to process
	AttachmentReady      = "ready"      // processed, waiting for a post
	AttachmentAttached   = "attached"   // a post's
	AttachmentRemote     = "remote"     // a remote post's
	AttachmentAbandoned  = "abandoned"  // never attached: deleted
	AttachmentFailed     = "failed"     // could not be processed
)

func (s *Service) attachmentGraph() *stator.Graph {
	g := stator.NewGraph("media_attachments", "media_attachments").Concurrency(2)
	g.State(AttachmentProcessing).Retry(stator.Backoff{Base: 10 * time.Second, Max: 10 * time.Minute, Jitter: 0.2}).
		TimesOutTo(AttachmentFailed, time.Hour).
		Handle(s.processUpload, AttachmentReady, AttachmentFailed)
	g.State(AttachmentReady).TimesOutTo(AttachmentAbandoned, unattachedLifetime)
	g.State(AttachmentAttached).Terminal()
	g.State(AttachmentRemote).Terminal()
	g.State(AttachmentAbandoned).DeleteAfter(time.Minute)
	g.State(AttachmentFailed).DeleteAfter(unattachedLifetime)
	return g
}

// processUpload processes an image kept as uploaded (Upload left it for
// Stator because it is large).
func (s *Service) processUpload(ctx context.Context, it stator.Item) (string, error) {
	a, err := store.AttachmentByID(ctx, s.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if a == nil || a.State != it.State || a.UploadKey == "" {
		return "", nil
	}
	obj, err := s.Backend.Open(ctx, a.UploadKey)
	if err != nil {
		return "", err
	}
	data, err := io.ReadAll(obj)
	obj.Close()
	if err != nil {
		return "", err
	}
	if err := s.processImage(ctx, a, data); err != nil {
		if errors.Is(err, ErrBadFile) || errors.Is(err, ErrUnsupported) || errors.Is(err, ErrTooLarge) {
			s.Logger.Info("media: upload could not be processed", "attachment", a.ID, "error", err)
			return AttachmentFailed, nil
		}
		return "", err
	}
	// Saving clears upload_key: the trigger puts the upload's file up for
	// deletion.
	if ok, err := store.SaveProcessedAttachment(ctx, s.DB, a, AttachmentProcessing); err != nil || !ok {
		return "", err
	}
	return AttachmentReady, nil
}
