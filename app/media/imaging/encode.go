package imaging

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"
)

// outputMime chooses the re-encoded format for a still image:
//   - JPEG stays JPEG and PNG stays PNG;
//   - a static GIF becomes PNG (lossless for a palette image, and a still
//     PNG is what clients expect for a non-animated picture);
//   - WebP becomes PNG when it has transparency and JPEG otherwise, since
//     there is no pure-Go WebP encoder and a lossy source is best kept lossy.
func outputMime(src string, alpha bool) string {
	switch {
	case src == MimeJPEG:
		return MimeJPEG
	case src == MimeWebP && !alpha:
		return MimeJPEG
	}
	return MimePNG
}

// encode writes img as mime (image/jpeg or image/png). sizeHint, when
// positive, is the expected output size (the input's size, for an
// original): pre-sizing the buffer avoids regrowing copies of megabytes.
func encode(img image.Image, mime string, quality, sizeHint int) ([]byte, error) {
	if sizeHint <= 0 {
		b := img.Bounds()
		sizeHint = b.Dx()*b.Dy()/4 + 4096 // ~2 bits per pixel; grows if needed
	}
	var buf bytes.Buffer
	buf.Grow(sizeHint)
	if mime == MimeJPEG {
		return encodeJPEG(&buf, img, quality)
	}
	return encodePNG(&buf, img)
}

// encodeJPEG hands image/jpeg one of the types it encodes without per-pixel
// interface calls (*image.YCbCr, *image.Gray, *image.RGBA). Only opaque
// images are passed here; alpha, if any, is dropped.
func encodeJPEG(buf *bytes.Buffer, img image.Image, quality int) ([]byte, error) {
	switch m := img.(type) {
	case *image.YCbCr, *image.Gray, *image.RGBA:
	case *image.NYCbCrA:
		img = &m.YCbCr
	default:
		img = toRGBA(img) // opaque NRGBA is shared, not copied
	}
	if err := jpeg.Encode(buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, wrapf(ErrCorrupt, "encoding JPEG: %v", err)
	}
	return buf.Bytes(), nil
}

// pngEncoder uses the default zlib level: originals are stored and served
// many times, so the smaller file is worth the encoding time.
var pngEncoder = png.Encoder{CompressionLevel: png.DefaultCompression}

// encodePNG writes img as PNG; paletted, gray and 16-bit images keep their
// compact layouts.
func encodePNG(buf *bytes.Buffer, img image.Image) ([]byte, error) {
	if err := pngEncoder.Encode(buf, img); err != nil {
		return nil, wrapf(ErrCorrupt, "encoding PNG: %v", err)
	}
	return buf.Bytes(), nil
}
