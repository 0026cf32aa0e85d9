package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"
)

// decodeStill decodes a still image (for a GIF, its first frame composed on
// the logical screen). Probe has already vetted the header dimensions; the
// decoded bounds are checked again in case a decoder disagrees with our
// header parser.
func decodeStill(data []byte, info Info, l Limits) (image.Image, error) {
	var img image.Image
	err := safely(func() (err error) {
		r := bytes.NewReader(data)
		switch info.Mime {
		case MimeJPEG:
			img, err = jpeg.Decode(r)
		case MimePNG:
			img, err = png.Decode(r)
		case MimeGIF:
			img, err = gif.Decode(r)
		case MimeWebP:
			img, err = webp.Decode(r)
		default:
			err = wrapf(ErrUnsupportedType, "%s is not a still image format", info.Mime)
		}
		return err
	})
	if err != nil {
		return nil, decodeError(info.Mime, err)
	}
	b := img.Bounds()
	if err := l.checkPixels(b.Dx(), b.Dy()); err != nil {
		return nil, err
	}
	if b.Empty() {
		return nil, wrapf(ErrCorrupt, "%s decoded to an empty image", info.Mime)
	}
	if info.Mime == MimeGIF {
		return onCanvas(img, info.Width, info.Height), nil
	}
	return img, nil
}

// onCanvas draws a GIF frame on a transparent w×h logical screen unless it
// already covers it exactly.
func onCanvas(frame image.Image, w, h int) image.Image {
	screen := image.Rect(0, 0, w, h)
	if frame.Bounds() == screen {
		return frame
	}
	canvas := image.NewRGBA(screen)
	draw.Draw(canvas, frame.Bounds(), frame, frame.Bounds().Min, draw.Src)
	return canvas
}

// isUnsupported reports a decoder's "valid but unsupported" error.
func isUnsupported(err error) bool {
	var pu png.UnsupportedError
	return errors.As(err, &pu)
}

// hasAlpha reports whether any pixel of img is not fully opaque.
func hasAlpha(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return !o.Opaque()
	}
	return true
}

// toRGBA converts img to a premultiplied *image.RGBA, which may share pixels
// with img. It is the fallback for pixel formats the fast paths do not
// handle (CMYK, paletted, 16-bit, 4:1:1 chroma, NYCbCrA with real alpha...).
func toRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	switch m := img.(type) {
	case *image.RGBA:
		if b.Min == (image.Point{}) {
			return m
		}
	case *image.NRGBA:
		return premultiply(m)
	case *image.NYCbCrA:
		return nycbcraToRGBA(m)
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}

// premultiply converts non-premultiplied NRGBA to RGBA. An opaque image has
// identical bytes in both layouts, so it is shared rather than copied.
func premultiply(m *image.NRGBA) *image.RGBA {
	b := m.Rect
	if m.Opaque() {
		return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: b}
	}
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := 0; y < b.Dy(); y++ {
		s := m.Pix[m.PixOffset(b.Min.X, b.Min.Y+y):][:4*b.Dx()]
		d := dst.Pix[y*dst.Stride:][:len(s)]
		for i := 0; i+3 < len(s); i += 4 {
			a := uint32(s[i+3])
			d[i+0] = uint8((uint32(s[i+0])*a + 127) / 255)
			d[i+1] = uint8((uint32(s[i+1])*a + 127) / 255)
			d[i+2] = uint8((uint32(s[i+2])*a + 127) / 255)
			d[i+3] = uint8(a)
		}
	}
	return dst
}

// nycbcraToRGBA converts lossy-with-alpha WebP output to RGBA.
func nycbcraToRGBA(m *image.NYCbCrA) *image.RGBA {
	b := m.Rect
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		d := dst.Pix[(y-b.Min.Y)*dst.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			yi, ci := m.YOffset(x, y), m.COffset(x, y)
			r, g, bl := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			a := uint32(m.A[m.AOffset(x, y)])
			i := 4 * (x - b.Min.X)
			d[i+0] = uint8((uint32(r)*a + 127) / 255)
			d[i+1] = uint8((uint32(g)*a + 127) / 255)
			d[i+2] = uint8((uint32(bl)*a + 127) / 255)
			d[i+3] = uint8(a)
		}
	}
	return dst
}
