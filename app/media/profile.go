package media

import (
	"context"
	"fmt"

	"pukeko/app/media/imaging"
)

// Sizes of local profile images, as Mastodon makes them.
const (
	AvatarWidth, AvatarHeight = 400, 400
	HeaderWidth, HeaderHeight = 1500, 500
)

// ProfileImage stores an avatar or header upload (an image within the
// image size limit) cropped from its centre to w×h, without metadata, and
// returns its storage key and type.
func (s *Service) ProfileImage(ctx context.Context, data []byte, w, h int) (key, mime string, err error) {
	kind, _, err := imaging.Sniff(data)
	if err != nil || kind != imaging.KindImage {
		return "", "", fmt.Errorf("%w: a profile image must be an image", ErrUnsupported)
	}
	if int64(len(data)) > s.Limits.MaxImageSize {
		return "", "", fmt.Errorf("%w: image of %d bytes, at most %d", ErrTooLarge, len(data), s.Limits.MaxImageSize)
	}
	out, mime, err := imaging.Crop(data, w, h, imaging.Options{MaxPixels: int64(s.Limits.MaxDecodePixels)})
	if err != nil {
		return "", "", mapImagingError(err)
	}
	key, err = s.store(ctx, "profiles", out, mime)
	return key, mime, err
}

// EmojiImage stores a custom emoji's image: PNG, GIF (animation kept) or
// WebP (stored as PNG), within the emoji size limit, without metadata.
func (s *Service) EmojiImage(ctx context.Context, data []byte) (key, mime string, err error) {
	_, mime, err = imaging.Sniff(data)
	if err != nil || (mime != imaging.MimePNG && mime != imaging.MimeGIF && mime != imaging.MimeWebP) {
		return "", "", fmt.Errorf("%w: an emoji must be a PNG, GIF or WebP image", ErrUnsupported)
	}
	if int64(len(data)) > s.Limits.MaxEmojiSize {
		return "", "", fmt.Errorf("%w: emoji of %d bytes, at most %d", ErrTooLarge, len(data), s.Limits.MaxEmojiSize)
	}
	res, err := imaging.Process(data, imaging.Options{MaxPixels: int64(s.Limits.MaxDecodePixels)})
	if err != nil {
		return "", "", mapImagingError(err)
	}
	key, err = s.store(ctx, "emoji", res.Original, res.OriginalMime)
	return key, res.OriginalMime, err
}
