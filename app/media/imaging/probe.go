package imaging

import (
	"time"
)

// Info describes a media file as read from its headers.
type Info struct {
	Kind Kind
	Mime string
	// Width and Height are display dimensions: after EXIF orientation for
	// JPEG, after the track-matrix rotation for MP4. Zero when unknown
	// (audio, or a container without the information).
	Width, Height int
	// Orientation is the EXIF orientation (1-8) of a JPEG; 1 otherwise.
	Orientation int
	// Animated is true for GIFs with more than one frame, APNGs and
	// animated WebPs.
	Animated bool
	// Frames counts the frames of a GIF or APNG; it is 1 for other images
	// and 0 for audio and video.
	Frames int
	// Duration of audio and video, when cheaply available (MP4, WebM, Ogg,
	// WAV, FLAC; MP3 is left at zero).
	Duration time.Duration
}

// Limits bound the resources an upload may claim. Zero fields take the
// package defaults.
type Limits struct {
	// MaxPixels bounds width×height of an image (and of each GIF frame).
	MaxPixels int64
	// MaxAnimationPixels bounds the sum of the frame areas of an animated
	// GIF: decoding keeps every frame in memory at one byte per pixel.
	MaxAnimationPixels int64
	// MaxFrames bounds the number of frames of an animated GIF.
	MaxFrames int
}

// Default limits. DefaultMaxPixels is 8K UHD (7680×4320): decoding an RGBA
// PNG that large takes ~133 MB, a JPEG ~50 MB.
const (
	DefaultMaxPixels          = 7680 * 4320
	DefaultMaxAnimationPixels = 100_000_000
	DefaultMaxFrames          = 5000
)

// DefaultLimits are the limits Probe applies.
var DefaultLimits = Limits{
	MaxPixels:          DefaultMaxPixels,
	MaxAnimationPixels: DefaultMaxAnimationPixels,
	MaxFrames:          DefaultMaxFrames,
}

func (l Limits) withDefaults() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MaxAnimationPixels <= 0 {
		l.MaxAnimationPixels = DefaultMaxAnimationPixels
	}
	if l.MaxFrames <= 0 {
		l.MaxFrames = DefaultMaxFrames
	}
	return l
}

// Probe is DefaultLimits.Probe.
func Probe(data []byte) (Info, error) {
	return DefaultLimits.Probe(data)
}

// Probe identifies data (see Sniff) and reads its headers. It never decodes
// pixels: an image whose header claims more than MaxPixels pixels is
// refused with ErrTooManyPixels in constant time and memory. For audio and
// video it parses the container (ISO-BMFF boxes, EBML elements, Ogg pages,
// RIFF/FLAC headers) within the bounds of data.
func (l Limits) Probe(data []byte) (info Info, err error) {
	defer guard(&err)
	l = l.withDefaults()
	kind, mime, err := Sniff(data)
	if err != nil {
		return Info{}, err
	}
	info = Info{Kind: kind, Mime: mime, Orientation: 1}
	switch mime {
	case MimeJPEG:
		err = probeJPEG(data, &info)
	case MimePNG:
		err = probePNG(data, &info)
	case MimeGIF:
		err = probeGIF(data, &info, l)
	case MimeWebP:
		err = probeWebP(data, &info)
	case MimeMP4, MimeM4A, MimeQuickTime:
		err = probeMP4(data, &info)
	case MimeWebM:
		err = probeWebM(data, &info)
	case MimeOgg:
		probeOgg(data, &info)
	case MimeWAV:
		probeWAV(data, &info)
	case MimeFLAC:
		probeFLAC(data, &info)
	}
	if err != nil {
		return Info{}, err
	}
	if kind == KindImage {
		if info.Width <= 0 || info.Height <= 0 {
			return Info{}, wrapf(ErrCorrupt, "%s with zero dimensions", mime)
		}
		if err := l.checkPixels(info.Width, info.Height); err != nil {
			return Info{}, err
		}
	}
	return info, nil
}

// checkPixels refuses w×h above MaxPixels. The product is computed in
// 64 bits, so no header value can overflow it.
func (l Limits) checkPixels(w, h int) error {
	if int64(w)*int64(h) > l.MaxPixels {
		return wrapf(ErrTooManyPixels, "%d×%d is more than %d pixels", w, h, l.MaxPixels)
	}
	return nil
}
