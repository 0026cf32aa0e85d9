package imaging

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Test fixtures are generated here rather than stored as files, so every
// byte that a test relies on is visible and deliberate.

// photo returns a photo-like 4:2:0 image: smooth gradients plus noise,
// which JPEG compresses about as well as a real photograph.
func photo(w, h int, seed uint32) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	x32 := seed | 1
	rnd := func() uint32 { // xorshift32: fast and deterministic
		x32 ^= x32 << 13
		x32 ^= x32 >> 17
		x32 ^= x32 << 5
		return x32
	}
	for y := range h {
		row := m.Y[y*m.YStride:]
		for x := range w {
			row[x] = uint8((x*200/w+y*55/h)&0xff) + uint8(rnd()&31)
		}
	}
	c := chromaRect(m.Rect, m.SubsampleRatio)
	for y := range c.Dy() {
		for x := range c.Dx() {
			m.Cb[y*m.CStride+x] = uint8(64 + x*128/c.Dx())
			m.Cr[y*m.CStride+x] = uint8(192 - y*128/c.Dy())
		}
	}
	return m
}

func mustJPEG(t testing.TB, img image.Image, q int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func mustPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Quadrant colours of quadrants(): top-left, top-right, bottom-left,
// bottom-right of the stored (un-oriented) image.
var (
	red   = color.RGBA{255, 0, 0, 255}
	green = color.RGBA{0, 255, 0, 255}
	blue  = color.RGBA{0, 0, 255, 255}
	white = color.RGBA{255, 255, 255, 255}
)

// quadrants returns a w×h image with four solid quadrants.
func quadrants(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

// nearest names the quadrant colour closest to c.
func nearest(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	best, bestD := red, uint32(1<<32-1)
	for _, q := range []color.RGBA{red, green, blue, white} {
		d := sq(r>>8, uint32(q.R)) + sq(g>>8, uint32(q.G)) + sq(b>>8, uint32(q.B))
		if d < bestD {
			best, bestD = q, d
		}
	}
	return best
}

func sq(a, b uint32) uint32 {
	d := int32(a) - int32(b)
	return uint32(d * d)
}

// gpsLatitude is the RATIONAL[3] payload 41/1 17/1 3125/100 (little endian):
// if these bytes survive processing, the GPS position leaked.
var gpsLatitude = []byte{41, 0, 0, 0, 1, 0, 0, 0, 17, 0, 0, 0, 1, 0, 0, 0, 0x35, 0x0c, 0, 0, 100, 0, 0, 0}

// exifTIFF builds a little-endian TIFF structure with IFD0 holding the
// Orientation tag and a GPS IFD pointer, and a GPS IFD holding
// GPSLatitudeRef "N" and GPSLatitude.
func exifTIFF(orientation int) []byte {
	le := binary.LittleEndian
	var b []byte
	b = append(b, "II*\x00"...)
	b = le.AppendUint32(b, 8)
	// IFD0 at 8: two entries.
	b = le.AppendUint16(b, 2)
	b = appendEntry(b, 0x0112, 3, 1, uint32(orientation)) // Orientation SHORT
	b = appendEntry(b, 0x8825, 4, 1, 38)                  // GPSInfo IFD pointer
	b = le.AppendUint32(b, 0)
	// GPS IFD at 38: two entries.
	b = le.AppendUint16(b, 2)
	b = appendEntry(b, 0x0001, 2, 2, uint32('N')) // GPSLatitudeRef "N\0"
	b = appendEntry(b, 0x0002, 5, 3, 68)          // GPSLatitude, 3 RATIONALs at 68
	b = le.AppendUint32(b, 0)
	return append(b, gpsLatitude...)
}

func appendEntry(b []byte, tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, tag)
	b = le.AppendUint16(b, typ)
	b = le.AppendUint32(b, count)
	return le.AppendUint32(b, value) // SHORTs and ASCII are left-aligned: LE puts them first
}

// segment builds a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// Metadata segments spliced into test JPEGs.
var (
	xmpSegment = segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>secret-xmp</x:xmpmeta>"))
	iccSegment = segment(0xE2, append([]byte("ICC_PROFILE\x00\x01\x01"), bytes.Repeat([]byte{0xAB}, 64)...))
	comSegment = segment(0xFE, []byte("secret-comment"))
)

// withExif splices an Exif APP1 (orientation + GPS), XMP, ICC and COM
// segments right after the SOI of a JPEG.
func withExif(jpg []byte, orientation int) []byte {
	exif := segment(0xE1, append([]byte("Exif\x00\x00"), exifTIFF(orientation)...))
	var out []byte
	out = append(out, jpg[:2]...)
	out = append(out, exif...)
	out = append(out, xmpSegment...)
	out = append(out, iccSegment...)
	out = append(out, comSegment...)
	return append(out, jpg[2:]...)
}

// jpegMarkers lists the markers of a JPEG up to and including SOS.
func jpegMarkers(t *testing.T, b []byte) []byte {
	t.Helper()
	var ms []byte
	p := 2
	for p+4 <= len(b) {
		if b[p] != 0xFF {
			t.Fatalf("lost marker sync at %d", p)
		}
		m := b[p+1]
		ms = append(ms, m)
		if m == 0xDA {
			break
		}
		p += 2 + int(binary.BigEndian.Uint16(b[p+2:]))
	}
	return ms
}

// pngChunk builds a PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// insertAfterIHDR splices chunks after the IHDR chunk of a PNG.
func insertAfterIHDR(p []byte, chunks ...[]byte) []byte {
	const end = 8 + 25 // signature + IHDR
	out := append([]byte{}, p[:end]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[end:]...)
}

// pngChunkTypes lists the chunk types of a PNG.
func pngChunkTypes(p []byte) []string {
	var ts []string
	for i := 8; i+8 <= len(p); {
		n := int(binary.BigEndian.Uint32(p[i:]))
		ts = append(ts, string(p[i+4:i+8]))
		i += 12 + n
	}
	return ts
}

// pngHeaderOnly is a PNG signature and IHDR claiming w×h RGBA pixels,
// followed by a token IDAT: all a decompression bomb needs to show.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	out := append([]byte{}, pngSignature...)
	out = append(out, pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, pngChunk("IEND", nil)...)
}
