package imaging

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

// Fixtures for container formats: GIF, RIFF/WebP, ISO-BMFF.

// animatedGIF encodes n frames of w×h, each a solid palette colour with a
// transparent 2×2 corner, delays 10, 20, 30... and the given loop count.
func animatedGIF(t testing.TB, w, h, n, loop int) []byte {
	t.Helper()
	pal := color.Palette{color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{}}
	g := &gif.GIF{LoopCount: loop}
	for i := range n {
		f := image.NewPaletted(image.Rect(0, 0, w, h), pal)
		for j := range f.Pix {
			f.Pix[j] = uint8(i % 3)
		}
		for y := range 2 {
			for x := range 2 {
				f.SetColorIndex(x, y, 3)
			}
		}
		g.Image = append(g.Image, f)
		g.Delay = append(g.Delay, 10*(i+1))
		g.Disposal = append(g.Disposal, gif.DisposalBackground)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gifWithExtensions splices a comment and an XMP application extension in
// front of the first frame of a GIF.
func gifWithExtensions(g []byte) []byte {
	p := 13
	if g[10]&0x80 != 0 {
		p += 3 << (g[10]&7 + 1)
	}
	ext := []byte{0x21, 0xFE, 14}
	ext = append(ext, "secret-comment"...)
	ext = append(ext, 0, 0x21, 0xFF, 11)
	ext = append(ext, "XMP DataXMP"...)
	ext = append(ext, 10)
	ext = append(ext, "secret-xmp"...)
	ext = append(ext, 0)
	return append(append(append([]byte{}, g[:p]...), ext...), g[p:]...)
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
