package imaging

import "image"

// Crop returns the image in data centre-cropped to the aspect ratio of w×h
// and scaled (down or up) to exactly w×h, e.g. 400×400 for avatars and
// 1500×500 for profile headers. The EXIF orientation is applied and the
// output is re-encoded without metadata: PNG when the source has
// transparency, JPEG otherwise. Animated GIFs yield their first frame.
// opts supplies the limits and the JPEG quality (zero fields: defaults).
func Crop(data []byte, w, h int, opts Options) (out []byte, mime string, err error) {
	defer guard(&err)
	opts = opts.withDefaults()
	lim := opts.limits()
	if w <= 0 || h <= 0 {
		return nil, "", wrapf(ErrCorrupt, "invalid crop size %d×%d", w, h)
	}
	if err := lim.checkPixels(w, h); err != nil {
		return nil, "", err
	}
	info, err := lim.Probe(data)
	if err != nil {
		return nil, "", err
	}
	if info.Kind != KindImage {
		return nil, "", wrapf(ErrUnsupportedType, "%s is not an image", info.Mime)
	}
	if info.Animated && info.Mime == MimeWebP {
		return nil, "", wrapf(ErrUnsupportedType, "animated WebP")
	}
	img, err := decodeStill(data, info, lim)
	if err != nil {
		return nil, "", err
	}
	// Crop and scale in the stored orientation, then orient the small
	// result: cheaper than turning the full-size image upright first.
	tw, th := w, h
	if transposes(info.Orientation) {
		tw, th = h, w
	}
	small := orient(scaleTo(img, centerCrop(img.Bounds(), tw, th), tw, th), info.Orientation)
	mime = MimeJPEG
	if hasAlpha(img) {
		mime = MimePNG
	}
	out, err = encode(small, mime, opts.JPEGQuality, 0)
	return out, mime, err
}

// centerCrop returns the largest rectangle centred in b with aspect w:h.
func centerCrop(b image.Rectangle, w, h int) image.Rectangle {
	cw, ch := b.Dx(), b.Dy()
	if int64(cw)*int64(h) > int64(ch)*int64(w) { // too wide
		cw = max(1, int((int64(ch)*int64(w)+int64(h)/2)/int64(h)))
	} else {
		ch = max(1, int((int64(cw)*int64(h)+int64(w)/2)/int64(w)))
	}
	x0, y0 := b.Min.X+(b.Dx()-cw)/2, b.Min.Y+(b.Dy()-ch)/2
	return image.Rect(x0, y0, x0+cw, y0+ch)
}
