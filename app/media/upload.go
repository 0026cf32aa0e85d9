package media

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"pukeko/app/media/imaging"
	"pukeko/app/model"
	"pukeko/app/store"
)

// Errors of uploads, for the API to answer 422 with.
var (
	// ErrUnsupported: not an image, video or audio file we take.
	ErrUnsupported = errors.New("media: unsupported file type")
	// ErrTooLarge: over the size limit of its type, or too many pixels.
	ErrTooLarge = errors.New("media: file too large")
	// ErrBadFile: the file is damaged.
	ErrBadFile = errors.New("media: file could not be read")
)

// UploadOptions are what the uploader says about a file.
type UploadOptions struct {
	Description string
	FocusX      float64 // -1 .. 1
	FocusY      float64 // -1 .. 1
	// Sync processes images in the request whatever their size (the
	// Mastodon v1 endpoint, which has no 202).
	Sync bool
}

// Upload takes a file from owner: its type sniffed from the bytes (never
// a file name), its size and pixels checked, and, for images, processed
// (oriented, stripped of metadata, scaled, given a thumbnail and a
// blurhash). Small images are processed now and the attachment returned
// 'ready'; larger ones are stored as received and processed by Stator,
// the attachment returned 'processing'. Video and audio are kept as they
// are. The attachment waits for a post (AttachToPost); unattached uploads
// are deleted after a day.
func (s *Service) Upload(ctx context.Context, owner model.ID, data []byte, o UploadOptions) (*model.Attachment, error) {
	kind, mime, err := imaging.Sniff(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	limit := map[imaging.Kind]int64{imaging.KindImage: s.Limits.MaxImageSize,
		imaging.KindVideo: s.Limits.MaxVideoSize, imaging.KindAudio: s.Limits.MaxAudioSize}[kind]
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: %s of %d bytes, at most %d", ErrTooLarge, kind, len(data), limit)
	}
	info, err := s.probeLimits().Probe(data)
	if err != nil {
		return nil, mapImagingError(err)
	}
	// The container's tracks decide: an MP4 or WebM without video is audio.
	kind, mime = info.Kind, info.Mime
	a := &model.Attachment{
		ID:          model.NewID(),
		OwnerID:     owner,
		Local:       true,
		ContentType: mime,
		FileSize:    int64(len(data)),
		Width:       info.Width,
		Height:      info.Height,
		Duration:    info.Duration.Seconds(),
		Description: o.Description,
		FocusX:      clampFocus(o.FocusX),
		FocusY:      clampFocus(o.FocusY),
	}
	switch kind {
	case imaging.KindVideo:
		a.Kind = model.MediaVideo
	case imaging.KindAudio:
		a.Kind = model.MediaAudio
	default:
		a.Kind = model.MediaImage
		if info.Animated && mime == imaging.MimeGIF {
			// Animated GIFs stay GIFs (APNG and WebP animations are
			// processed as stills or refused).
			a.Kind = model.MediaGifv
		}
	}
	if kind == imaging.KindImage && !o.Sync && info.Width*info.Height > s.Limits.SyncPixels {
		// Slow: keep the upload and let Stator process it.
		if a.UploadKey, err = s.store(ctx, "uploads", data, mime); err != nil {
			return nil, err
		}
		if err := store.InsertAttachment(ctx, s.DB, a, AttachmentProcessing); err != nil {
			return nil, err
		}
		return a, nil
	}
	if kind == imaging.KindImage {
		if err := s.processImage(ctx, a, data); err != nil {
			return nil, err
		}
	} else if a.FileKey, err = s.store(ctx, "attachments", data, mime); err != nil {
		return nil, err
	}
	if err := store.InsertAttachment(ctx, s.DB, a, AttachmentReady); err != nil {
		return nil, err
	}
	return a, nil
}

// probeLimits are the header checks every image passes before decoding.
func (s *Service) probeLimits() imaging.Limits {
	return imaging.Limits{MaxPixels: int64(s.Limits.MaxDecodePixels)}
}

// processImage turns an image upload into its stored files and fills in
// what processing learned.
func (s *Service) processImage(ctx context.Context, a *model.Attachment, data []byte) error {
	res, err := imaging.Process(data, imaging.Options{
		MaxPixels:    int64(s.Limits.MaxDecodePixels),
		ResizePixels: int64(s.Limits.MaxImagePixels),
	})
	if err != nil {
		return mapImagingError(err)
	}
	if a.FileKey, err = s.store(ctx, "attachments", res.Original, res.OriginalMime); err != nil {
		return err
	}
	if a.ThumbnailKey, err = s.store(ctx, "thumbnails", res.Thumbnail, res.ThumbnailMime); err != nil {
		return err
	}
	a.ContentType, a.FileSize = res.OriginalMime, int64(len(res.Original))
	a.Width, a.Height = res.Width, res.Height
	a.ThumbnailWidth, a.ThumbnailHeight = res.ThumbWidth, res.ThumbHeight
	a.Blurhash = res.Blurhash
	a.UploadKey = ""
	return nil
}

// mapImagingError turns the imaging package's errors into ours.
func mapImagingError(err error) error {
	switch {
	case errors.Is(err, imaging.ErrUnsupportedType):
		return fmt.Errorf("%w: %v", ErrUnsupported, err)
	case errors.Is(err, imaging.ErrTooManyPixels):
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	case errors.Is(err, imaging.ErrCorrupt):
		return fmt.Errorf("%w: %v", ErrBadFile, err)
	}
	return err
}

func clampFocus(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(-1, math.Min(1, v))
}

// unattachedLifetime is how long an upload waits for a post.
const unattachedLifetime = 24 * time.Hour
