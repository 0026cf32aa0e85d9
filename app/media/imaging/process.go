package imaging

import (
	"image"
)

// Options configure Process and Crop. Zero fields take the defaults.
type Options struct {
	// MaxPixels refuses images whose header claims more pixels
	// (ErrTooManyPixels, checked before decoding). Default DefaultMaxPixels.
	MaxPixels int64
	// ResizePixels (media.max_image_pixels) downsizes larger still images,
	// keeping the aspect ratio, to at most this many pixels. Default
	// DefaultResizePixels.
	ResizePixels int64
	// ThumbnailSize is the bounding box of the thumbnail: its longer side
	// is at most this many pixels. Default DefaultThumbnailSize.
	ThumbnailSize int
	// JPEGQuality (1-100) for JPEG originals and thumbnails. Default
	// DefaultJPEGQuality.
	JPEGQuality int
	// MaxAnimationPixels and MaxFrames bound animated GIFs; see Limits.
	MaxAnimationPixels int64
	MaxFrames          int
}

// Processing defaults. DefaultResizePixels is 4096×4096 (16.8 MP), so a
// 12 MP photo is re-encoded at full size. The thumbnail is bounded by a
// 640-pixel box (640×480 for a 4:3 photo, 480×640 portrait) rather than by
// an area as Mastodon's "small" version is: a box gives clients a simple
// guarantee, and neither crops nor upscales.
const (
	DefaultResizePixels  = 4096 * 4096
	DefaultThumbnailSize = 640
	DefaultJPEGQuality   = 85
)

func (o Options) withDefaults() Options {
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.ResizePixels <= 0 {
		o.ResizePixels = DefaultResizePixels
	}
	if o.ThumbnailSize <= 0 {
		o.ThumbnailSize = DefaultThumbnailSize
	}
	if o.JPEGQuality <= 0 || o.JPEGQuality > 100 {
		o.JPEGQuality = DefaultJPEGQuality
	}
	return o
}

func (o Options) limits() Limits {
	return Limits{MaxPixels: o.MaxPixels, MaxAnimationPixels: o.MaxAnimationPixels, MaxFrames: o.MaxFrames}.withDefaults()
}

// Result is a processed image: a metadata-free original, a thumbnail and a
// blurhash.
type Result struct {
	// Original is the re-encoded image, OriginalMime its type, and Width ×
	// Height its size after orientation and downsizing.
	Original      []byte
	OriginalMime  string
	Width, Height int
	// Thumbnail fits in Options.ThumbnailSize and is never larger than the
	// original. It is JPEG, or PNG when the source has transparency.
	Thumbnail               []byte
	ThumbnailMime           string
	ThumbWidth, ThumbHeight int
	// Blurhash is a BlurhashX×BlurhashY-component placeholder.
	Blurhash string
	// Animated is true when Original is an animated GIF.
	Animated bool
}

// Process sanitises an uploaded image (JPEG, PNG, GIF or WebP; anything else
// is ErrUnsupportedType):
//
//   - the header is checked against MaxPixels before decoding;
//   - the image is decoded, downsized to ResizePixels if larger, and JPEGs
//     are turned upright according to their EXIF orientation;
//   - it is re-encoded (see outputMime for formats), which drops EXIF, GPS,
//     XMP, ICC profiles, PNG text/eXIf chunks and comments. Dropping ICC
//     means wide-gamut (e.g. Display P3) photos are shown as sRGB;
//   - an animated GIF stays an animated GIF with its frame timing, disposal
//     and NETSCAPE loop count; other extensions are dropped. It is never
//     resized: one larger than ResizePixels is refused (ErrTooManyPixels);
//   - an animated WebP is refused (no pure-Go decoder); an APNG is
//     processed as its still default image.
func Process(data []byte, opts Options) (res *Result, err error) {
	defer guard(&err)
	opts = opts.withDefaults()
	lim := opts.limits()
	info, err := lim.Probe(data)
	if err != nil {
		return nil, err
	}
	if info.Kind != KindImage {
		return nil, wrapf(ErrUnsupportedType, "%s is not an image", info.Mime)
	}
	if info.Animated {
		switch info.Mime {
		case MimeGIF:
			return processAnimatedGIF(data, info, opts)
		case MimeWebP:
			return nil, wrapf(ErrUnsupportedType, "animated WebP")
		}
	}
	img, err := decodeStill(data, info, lim)
	if err != nil {
		return nil, err
	}
	alpha := hasAlpha(img)
	mime := outputMime(info.Mime, alpha)

	// Downsize before orienting: the transform then touches fewer pixels.
	b := img.Bounds()
	if w, h := fitPixels(b.Dx(), b.Dy(), opts.ResizePixels); w != b.Dx() || h != b.Dy() {
		img = shrinkImage(img, w, h)
	}
	img = orient(img, info.Orientation)

	original, err := encode(img, mime, opts.JPEGQuality, len(data))
	if err != nil {
		return nil, err
	}
	b = img.Bounds()
	res = &Result{Original: original, OriginalMime: mime, Width: b.Dx(), Height: b.Dy()}
	if err := res.thumbnail(img, alpha, opts); err != nil {
		return nil, err
	}
	return res, nil
}

// thumbnail fills the thumbnail and blurhash fields from the upright image.
func (r *Result) thumbnail(img image.Image, alpha bool, opts Options) error {
	b := img.Bounds()
	w, h := fitBox(b.Dx(), b.Dy(), opts.ThumbnailSize)
	thumb := scaleTo(img, b, w, h)
	mime := MimeJPEG
	if alpha {
		mime = MimePNG
	}
	data, err := encode(thumb, mime, opts.JPEGQuality, 0)
	if err != nil {
		return err
	}
	hash, err := blurhashOf(thumb)
	if err != nil {
		return err
	}
	r.Thumbnail, r.ThumbnailMime, r.ThumbWidth, r.ThumbHeight = data, mime, w, h
	r.Blurhash = hash
	return nil
}
