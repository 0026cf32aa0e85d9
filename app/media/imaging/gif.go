package imaging

import (
	"bytes"
	"image/gif"
)

// processAnimatedGIF re-encodes an animated GIF with image/gif. DecodeAll
// keeps the frames, delays, disposal methods, background index and the
// NETSCAPE2.0 loop count, and discards comments, XMP and every other
// application extension; EncodeAll writes back only what was kept. Probe
// has already bounded the frame count and total frame area.
//
// Animated GIFs are not resized (that would mean re-quantising every
// frame): one larger than ResizePixels is refused.
func processAnimatedGIF(data []byte, info Info, opts Options) (*Result, error) {
	if int64(info.Width)*int64(info.Height) > opts.ResizePixels {
		return nil, wrapf(ErrTooManyPixels, "animated GIF of %d×%d exceeds %d pixels and is not resized",
			info.Width, info.Height, opts.ResizePixels)
	}
	var g *gif.GIF
	err := safely(func() (err error) {
		g, err = gif.DecodeAll(bytes.NewReader(data))
		return err
	})
	if err != nil {
		return nil, decodeError(MimeGIF, err)
	}
	if len(g.Image) == 0 {
		return nil, wrapf(ErrCorrupt, "GIF without frames")
	}
	var buf bytes.Buffer
	buf.Grow(len(data))
	if err := safely(func() error { return gif.EncodeAll(&buf, g) }); err != nil {
		return nil, wrapf(ErrCorrupt, "re-encoding GIF: %v", err)
	}
	first := onCanvas(g.Image[0], g.Config.Width, g.Config.Height)
	res := &Result{
		Original:     buf.Bytes(),
		OriginalMime: MimeGIF,
		Width:        g.Config.Width,
		Height:       g.Config.Height,
		Animated:     true,
	}
	if err := res.thumbnail(first, hasAlpha(first), opts); err != nil {
		return nil, err
	}
	return res, nil
}
