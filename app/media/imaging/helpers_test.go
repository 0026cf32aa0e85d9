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

// riff builds a RIFF file of the given form type from chunks.
func riff(form string, chunks ...[]byte) []byte {
	var body []byte
	body = append(body, form...)
	for _, c := range chunks {
		body = append(body, c...)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	return append(out, body...)
}

// riffChunk builds a RIFF chunk, padded to an even length.
func riffChunk(id string, data []byte) []byte {
	c := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	c = append(c, data...)
	if len(data)%2 == 1 {
		c = append(c, 0)
	}
	return c
}

// bitWriter writes the LSB-first bit stream of VP8L.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) put(v uint32, n uint) {
	w.acc |= uint64(v) << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.buf = append(w.buf, byte(w.acc))
	}
	return w.buf
}

// vp8l hand-assembles a lossless WebP bitstream of a w×h checkerboard
// whose pixels differ only in green: g0 or g1, with fixed
// red, blue and alpha. It uses no transforms and no colour cache, one
// prefix-code group, "simple" prefix codes: green has two 1-bit symbols,
// red, blue and alpha one 0-bit symbol each, distance is unused. Each
// pixel therefore costs exactly one bit.
func vp8l(w, h int, r, g0, g1, b, a uint8) []byte {
	var bw bitWriter
	bw.put(0x2f, 8) // signature
	bw.put(uint32(w-1), 14)
	bw.put(uint32(h-1), 14)
	alphaHint := uint32(0)
	if a != 0xff {
		alphaHint = 1
	}
	bw.put(alphaHint, 1)
	bw.put(0, 3) // version
	bw.put(0, 1) // no transform
	bw.put(0, 1) // no colour cache
	bw.put(0, 1) // no meta prefix codes
	// Green: simple code, 2 symbols, 8-bit first symbol.
	bw.put(1, 1)
	bw.put(1, 1)
	bw.put(1, 1)
	bw.put(uint32(g0), 8)
	bw.put(uint32(g1), 8)
	for _, v := range []uint8{r, b, a} { // one 8-bit symbol each
		bw.put(1, 1)
		bw.put(0, 1)
		bw.put(1, 1)
		bw.put(uint32(v), 8)
	}
	bw.put(1, 1) // distance: one 1-bit symbol, value 0
	bw.put(0, 1)
	bw.put(0, 1)
	bw.put(0, 1)
	for y := range h {
		for x := range w {
			bw.put(uint32((x+y)&1), 1) // code 0 → g0, code 1 → g1
		}
	}
	return bw.bytes()
}

// webpLossless wraps a VP8L bitstream in a simple-format WebP file.
func webpLossless(w, h int, r, g0, g1, b, a uint8) []byte {
	return riff("WEBP", riffChunk("VP8L", vp8l(w, h, r, g0, g1, b, a)))
}

// webpExtended wraps a VP8L bitstream in an extended-format (VP8X) WebP
// with an EXIF chunk; flags may add the animation bit.
func webpExtended(w, h int, flags byte, vp8lData, exif []byte) []byte {
	x := []byte{flags | 0x08, 0, 0, 0}
	x = append(x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
	x = append(x, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
	return riff("WEBP", riffChunk("VP8X", x), riffChunk("VP8L", vp8lData), riffChunk("EXIF", exif))
}

// box builds an ISO-BMFF box.
func box(typ string, payload ...[]byte) []byte {
	var body []byte
	for _, p := range payload {
		body = append(body, p...)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

func be32(vs ...uint32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.BigEndian.AppendUint32(b, v)
	}
	return b
}

// mvhd0 is a version-0 movie header.
func mvhd0(timescale, duration uint32) []byte {
	p := be32(0, 0, 0, timescale, duration)
	return box("mvhd", p, make([]byte, 80))
}

// tkhd0 is a version-0 track header with the given matrix (a, b, c, d) and
// 16.16 size.
func tkhd0(w, h uint32, a, b, c, d int32) []byte {
	p := be32(7, 0, 0, 1, 0, 0) // flags, times, track 1, reserved, duration
	p = append(p, make([]byte, 16)...)
	p = append(p, be32(uint32(a), uint32(b), 0, uint32(c), uint32(d), 0, 0, 0, 0x40000000)...)
	return box("tkhd", p, be32(w<<16, h<<16))
}

func hdlr(handler string) []byte {
	return box("hdlr", be32(0, 0), []byte(handler), make([]byte, 12), []byte("h\x00"))
}

// mp4File assembles ftyp + moov + mdat.
func mp4File(major string, compat []string, moov ...[]byte) []byte {
	ftyp := append([]byte(major), be32(0x200)...)
	for _, c := range compat {
		ftyp = append(ftyp, c...)
	}
	out := box("ftyp", ftyp)
	out = append(out, box("moov", moov...)...)
	return append(out, box("mdat", make([]byte, 64))...)
}
