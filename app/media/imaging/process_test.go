package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"testing"

	"github.com/buckket/go-blurhash"
	"golang.org/x/image/webp"
)

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

// checkResult verifies the parts common to every processed image.
func checkResult(t *testing.T, res *Result, mime string, w, h int) image.Image {
	t.Helper()
	if res.OriginalMime != mime || res.Width != w || res.Height != h {
		t.Fatalf("original = %s %d×%d, want %s %d×%d", res.OriginalMime, res.Width, res.Height, mime, w, h)
	}
	img := decodeAs(t, res.Original, mime)
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Fatalf("original decodes to %v, want %d×%d", b, w, h)
	}
	thumb := decodeAs(t, res.Thumbnail, res.ThumbnailMime)
	if b := thumb.Bounds(); b.Dx() != res.ThumbWidth || b.Dy() != res.ThumbHeight {
		t.Errorf("thumbnail decodes to %v, result says %d×%d", b, res.ThumbWidth, res.ThumbHeight)
	}
	if res.ThumbWidth > DefaultThumbnailSize || res.ThumbHeight > DefaultThumbnailSize ||
		res.ThumbWidth > w || res.ThumbHeight > h || res.ThumbWidth < 1 || res.ThumbHeight < 1 {
		t.Errorf("thumbnail %d×%d for a %d×%d original", res.ThumbWidth, res.ThumbHeight, w, h)
	}
	// The thumbnail keeps the aspect ratio to within a pixel.
	if d := math.Abs(float64(res.ThumbWidth)*float64(h)/float64(w) - float64(res.ThumbHeight)); d > 1 {
		t.Errorf("thumbnail %d×%d distorts %d×%d", res.ThumbWidth, res.ThumbHeight, w, h)
	}
	if len(res.Blurhash) != 4+2*BlurhashX*BlurhashY {
		t.Errorf("blurhash %q has length %d", res.Blurhash, len(res.Blurhash))
	}
	if x, y, err := blurhash.Components(res.Blurhash); err != nil || x != BlurhashX || y != BlurhashY {
		t.Errorf("blurhash %q: components %d×%d, %v", res.Blurhash, x, y, err)
	}
	if _, err := blurhash.Decode(res.Blurhash, 32, 32, 1); err != nil {
		t.Errorf("blurhash %q does not decode: %v", res.Blurhash, err)
	}
	return img
}

func decodeAs(t *testing.T, data []byte, mime string) image.Image {
	t.Helper()
	var img image.Image
	var err error
	switch mime {
	case MimeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(data))
	case MimePNG:
		img, err = png.Decode(bytes.NewReader(data))
	case MimeGIF:
		img, err = gif.Decode(bytes.NewReader(data))
	default:
		t.Fatalf("unexpected mime %q", mime)
	}
	if err != nil {
		t.Fatalf("output %s does not decode: %v", mime, err)
	}
	if k, m, err := Sniff(data); err != nil || k != KindImage || m != mime {
		t.Fatalf("output sniffs as %v %q %v, want %s", k, m, err, mime)
	}
	return img
}

// assertNoJPEGMetadata checks that a JPEG has only the segments image/jpeg
// writes (no APPn, no COM) and none of the secrets spliced into the input.
func assertNoJPEGMetadata(t *testing.T, out []byte) {
	t.Helper()
	for _, m := range jpegMarkers(t, out) {
		switch m {
		case 0xDB, 0xC0, 0xC4, 0xDA: // DQT, SOF0, DHT, SOS
		default:
			t.Errorf("output has marker 0x%02X", m)
		}
	}
	for _, secret := range [][]byte{[]byte("Exif"), gpsLatitude, []byte("secret"), []byte("ICC_PROFILE"), []byte("http://ns.adobe.com")} {
		if bytes.Contains(out, secret) {
			t.Errorf("output contains %q", secret)
		}
	}
}

func TestProcessJPEGStripsMetadataAndOrients(t *testing.T) {
	src := withExif(mustJPEG(t, photo(1200, 800, 7), 90), 6)
	for _, secret := range [][]byte{[]byte("Exif"), gpsLatitude, []byte("secret-xmp"), []byte("ICC_PROFILE")} {
		if !bytes.Contains(src, secret) {
			t.Fatalf("fixture lacks %q", secret) // the test must be able to fail
		}
	}
	res, err := Process(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, MimeJPEG, 800, 1200) // orientation 6 swaps the sides
	if res.ThumbWidth != 427 || res.ThumbHeight != 640 || res.ThumbnailMime != MimeJPEG || res.Animated {
		t.Errorf("thumbnail %s %d×%d animated=%v", res.ThumbnailMime, res.ThumbWidth, res.ThumbHeight, res.Animated)
	}
	assertNoJPEGMetadata(t, res.Original)
	assertNoJPEGMetadata(t, res.Thumbnail)
}

// TestOrientations checks all eight EXIF orientations against the meaning
// the EXIF specification gives them, using an image with four coloured
// quadrants: for each orientation, which stored quadrant must appear at
// the top-left and top-right of the upright output.
func TestOrientations(t *testing.T) {
	const w, h = 64, 32
	stored := map[string]color.RGBA{"TL": red, "TR": green, "BL": blue, "BR": white}
	want := map[int][2]string{
		1: {"TL", "TR"}, 2: {"TR", "TL"}, 3: {"BR", "BL"}, 4: {"BL", "BR"},
		5: {"TL", "BL"}, 6: {"BL", "TL"}, 7: {"BR", "TR"}, 8: {"TR", "BR"},
	}
	base := mustJPEG(t, quadrants(w, h), 95)
	for o := 1; o <= 8; o++ {
		res, err := Process(withExif(base, o), Options{})
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		ow, oh := w, h
		if o >= 5 {
			ow, oh = h, w
		}
		img := checkResult(t, res, MimeJPEG, ow, oh)
		tl, tr := nearest(img.At(ow/4, oh/4)), nearest(img.At(3*ow/4, oh/4))
		if tl != stored[want[o][0]] || tr != stored[want[o][1]] {
			t.Errorf("orientation %d: top row is %v %v, want %s %s", o, tl, tr, want[o][0], want[o][1])
		}
		// The thumbnail is upright too.
		th := decodeAs(t, res.Thumbnail, MimeJPEG)
		if c := nearest(th.At(res.ThumbWidth/4, res.ThumbHeight/4)); c != stored[want[o][0]] {
			t.Errorf("orientation %d: thumbnail top-left is %v", o, c)
		}
	}
}

func TestProcessGrayAndCMYKJPEG(t *testing.T) {
	gray := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range gray.Pix {
		gray.Pix[i] = uint8(i)
	}
	res, err := Process(withExif(mustJPEG(t, gray, 90), 8), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, MimeJPEG, 200, 300)
	assertNoJPEGMetadata(t, res.Original)

	cmyk := image.NewCMYK(image.Rect(0, 0, 50, 40))
	for i := range cmyk.Pix {
		cmyk.Pix[i] = uint8(i * 7)
	}
	res, err = Process(mustJPEG(t, cmyk, 90), Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, MimeJPEG, 50, 40)
}

func TestProcessPNGKeepsAlphaDropsChunks(t *testing.T) {
	const w, h = 900, 300
	src := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 200, uint8(x * 255 / w)})
		}
	}
	data := insertAfterIHDR(mustPNG(t, src),
		pngChunk("tEXt", []byte("Comment\x00secret-text")),
		pngChunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00secret-xmp")),
		pngChunk("eXIf", exifTIFF(1)))
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	res, err := Process(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res, MimePNG, w, h)
	for _, typ := range pngChunkTypes(res.Original) {
		if typ != "IHDR" && typ != "IDAT" && typ != "IEND" {
			t.Errorf("output has a %s chunk", typ)
		}
	}
	if bytes.Contains(res.Original, []byte("secret")) || bytes.Contains(res.Original, gpsLatitude) {
		t.Error("output contains metadata")
	}
	// Alpha survives exactly (no resize happened) in original and thumbnail.
	if _, _, _, a := img.At(0, 10).RGBA(); a != 0 {
		t.Errorf("left edge alpha = %d, want 0", a)
	}
	if c := color.NRGBAModel.Convert(img.At(450, 10)).(color.NRGBA); c != src.NRGBAAt(450, 10) {
		t.Errorf("pixel (450,10) = %v, want %v", c, src.NRGBAAt(450, 10))
	}
	if res.ThumbnailMime != MimePNG || res.ThumbWidth != 640 || res.ThumbHeight != 213 {
		t.Errorf("thumbnail %s %d×%d", res.ThumbnailMime, res.ThumbWidth, res.ThumbHeight)
	}
	thumb := decodeAs(t, res.Thumbnail, MimePNG)
	if _, _, _, a := thumb.At(1, 100).RGBA(); a > 0x1000 {
		t.Errorf("thumbnail left edge alpha = %d", a)
	}
	if _, _, _, a := thumb.At(638, 100).RGBA(); a < 0xF000 {
		t.Errorf("thumbnail right edge alpha = %d", a)
	}
}

func TestProcessAnimatedGIF(t *testing.T) {
	src := gifWithExtensions(animatedGIF(t, 300, 200, 3, 2))
	if !bytes.Contains(src, []byte("secret-comment")) || !bytes.Contains(src, []byte("XMP DataXMP")) {
		t.Fatal("fixture lacks its extensions")
	}
	res, err := Process(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res, MimeGIF, 300, 200)
	if !res.Animated {
		t.Error("Animated = false")
	}
	g, err := gif.DecodeAll(bytes.NewReader(res.Original))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 3 || g.LoopCount != 2 {
		t.Errorf("output has %d frames, loop count %d; want 3 frames, 2", len(g.Image), g.LoopCount)
	}
	for i, d := range g.Delay {
		if d != 10*(i+1) || g.Disposal[i] != gif.DisposalBackground {
			t.Errorf("frame %d: delay %d disposal %d", i, d, g.Disposal[i])
		}
	}
	if !bytes.Contains(res.Original, []byte("NETSCAPE2.0")) {
		t.Error("loop extension lost")
	}
	if bytes.Contains(res.Original, []byte("secret")) || bytes.Contains(res.Original, []byte("XMP DataXMP")) {
		t.Error("comment or XMP extension survived")
	}
	// The first frame has a transparent corner: the thumbnail is a PNG.
	if res.ThumbnailMime != MimePNG || res.ThumbWidth != 640 && res.ThumbWidth != 300 {
		t.Errorf("thumbnail %s %d×%d", res.ThumbnailMime, res.ThumbWidth, res.ThumbHeight)
	}

	// Animated GIFs are not resized: above ResizePixels they are refused.
	if _, err := Process(src, Options{ResizePixels: 300*200 - 1}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("animated GIF above ResizePixels: %v", err)
	}
}

func TestProcessStaticGIFBecomesPNG(t *testing.T) {
	res, err := Process(gifWithExtensions(animatedGIF(t, 40, 30, 1, -1)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res, MimePNG, 40, 30)
	if res.Animated || bytes.Contains(res.Original, []byte("secret")) {
		t.Errorf("animated=%v or metadata kept", res.Animated)
	}
	if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
		t.Error("transparent corner lost")
	}
	if r, g, b, _ := img.At(20, 20).RGBA(); r != 0xFFFF || g != 0 || b != 0 {
		t.Errorf("pixel (20,20) = %x %x %x, want red", r, g, b)
	}
}

func TestProcessWebP(t *testing.T) {
	// A hand-assembled 2×1 lossless WebP (the layout is documented at vp8l
	// in helpers_test.go): pixel 0 is #801040, pixel 1 is #80F040, opaque.
	literal := []byte{
		'R', 'I', 'F', 'F', 0x1a, 0, 0, 0, 'W', 'E', 'B', 'P',
		'V', 'P', '8', 'L', 0x0d, 0, 0, 0,
		0x2f,                   // VP8L signature
		0x01, 0x00, 0x00, 0x00, // width-1 = 1, height-1 = 0 (14 bits each), no alpha, version 0
		0x38, 0x04, 0x7c, 0x01, 0x0b, 0xd4, 0xff, 0x10, // no transform/cache/meta; 5 simple codes; 2 pixel bits
		0x00, // RIFF padding to an even chunk size
	}
	if gen := webpLossless(2, 1, 0x80, 0x10, 0xF0, 0x40, 0xFF); !bytes.Equal(literal, gen) {
		t.Fatalf("literal and generator disagree:\n%x\n%x", literal, gen)
	}
	dec, err := webp.Decode(bytes.NewReader(literal))
	if err != nil {
		t.Fatalf("literal does not decode: %v", err)
	}
	if c0, c1 := dec.At(0, 0), dec.At(1, 0); c0 != color.Color(color.NRGBA{0x80, 0x10, 0x40, 0xFF}) ||
		c1 != color.Color(color.NRGBA{0x80, 0xF0, 0x40, 0xFF}) {
		t.Fatalf("literal decodes to %v %v", c0, c1)
	}
	res, err := Process(literal, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res, MimeJPEG, 2, 1) // opaque WebP → JPEG

	opaque := webpLossless(320, 240, 0x80, 0x10, 0xF0, 0x40, 0xFF)
	res, err = Process(opaque, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img = checkResult(t, res, MimeJPEG, 320, 240)
	// A one-pixel checkerboard of #801040 and #80F040 averages to #808040.
	var sum [3]uint32
	for y := 100; y < 116; y++ {
		for x := 100; x < 116; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			sum[0], sum[1], sum[2] = sum[0]+r>>8, sum[1]+g>>8, sum[2]+b>>8
		}
	}
	if r, g, b := sum[0]/256, sum[1]/256, sum[2]/256; absDiff(r, 0x80) > 8 || absDiff(g, 0x80) > 8 || absDiff(b, 0x40) > 8 {
		t.Errorf("mean colour = %x %x %x, want 80 80 40", r, g, b)
	}

	// Transparent, in an extended container with an EXIF chunk.
	ext := webpExtended(50, 60, 0x10, vp8l(50, 60, 0x80, 0x10, 0xF0, 0x40, 0x80), exifTIFF(1))
	res, err = Process(ext, Options{})
	if err != nil {
		t.Fatal(err)
	}
	img = checkResult(t, res, MimePNG, 50, 60) // alpha → PNG
	if res.ThumbnailMime != MimePNG {
		t.Errorf("thumbnail is %s", res.ThumbnailMime)
	}
	if _, _, _, a := img.At(5, 5).RGBA(); absDiff(a>>8, 0x80) > 1 {
		t.Errorf("alpha = %x, want 80", a>>8)
	}
	if bytes.Contains(res.Original, gpsLatitude) || bytes.Contains(res.Original, []byte("EXIF")) {
		t.Error("EXIF survived")
	}

	anim := webpExtended(50, 60, 0x02, vp8l(50, 60, 1, 2, 3, 4, 255), nil)
	if _, err := Process(anim, Options{}); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("animated WebP: %v", err)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func TestProcessResizePixels(t *testing.T) {
	const limit = 1_000_000
	for _, tc := range []struct {
		name string
		data []byte
		mime string
		w, h int
	}{
		{"jpeg 3000×2000", mustJPEG(t, photo(3000, 2000, 3), 85), MimeJPEG, 1224, 816},
		{"jpeg orientation 6", withExif(mustJPEG(t, photo(3000, 2000, 3), 85), 6), MimeJPEG, 816, 1224},
		{"png 2000×1000", mustPNG(t, quadrants(2000, 1000)), MimePNG, 1414, 707},
	} {
		res, err := Process(tc.data, Options{ResizePixels: limit})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		img := checkResult(t, res, tc.mime, tc.w, tc.h)
		if int64(res.Width)*int64(res.Height) > limit {
			t.Errorf("%s: %d×%d exceeds %d pixels", tc.name, res.Width, res.Height, limit)
		}
		if tc.mime == MimePNG { // area averaging keeps flat regions exact
			if c := img.At(100, 100); c != color.Color(color.RGBA{255, 0, 0, 255}) && nearest(c) != red {
				t.Errorf("%s: top-left is %v", tc.name, c)
			}
		}
	}
}

func TestProcessRefusesNonImages(t *testing.T) {
	mp4 := mp4File("isom", nil, mvhd0(1000, 1000))
	if _, err := Process(mp4, Options{}); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("mp4: %v", err)
	}
	jpg := mustJPEG(t, photo(64, 64, 1), 80)
	if _, err := Process(jpg[:len(jpg)/2], Options{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated JPEG: %v", err)
	}
}

func TestCrop(t *testing.T) {
	base := mustJPEG(t, quadrants(640, 320), 92)
	tests := []struct {
		name   string
		data   []byte
		w, h   int
		mime   string
		tl, tr color.RGBA
	}{
		{"avatar from landscape", base, 400, 400, MimeJPEG, red, green},
		{"header upscaled", base, 1500, 500, MimeJPEG, red, green},
		{"avatar orientation 6", withExif(base, 6), 400, 400, MimeJPEG, blue, red},
		{"header orientation 8", withExif(base, 8), 1500, 500, MimeJPEG, green, white},
		{"transparent png", mustPNG(t, image.NewNRGBA(image.Rect(0, 0, 10, 10))), 400, 400, MimePNG, color.RGBA{}, color.RGBA{}},
	}
	for _, tt := range tests {
		out, mime, err := Crop(tt.data, tt.w, tt.h, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if mime != tt.mime {
			t.Errorf("%s: mime %s", tt.name, mime)
		}
		img := decodeAs(t, out, mime)
		if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
			t.Errorf("%s: %v, want %d×%d", tt.name, b, tt.w, tt.h)
		}
		if mime == MimeJPEG {
			assertNoJPEGMetadata(t, out)
			tl, tr := nearest(img.At(tt.w/8, tt.h/8)), nearest(img.At(tt.w-tt.w/8, tt.h/8))
			if tl != tt.tl || tr != tt.tr {
				t.Errorf("%s: top row %v %v, want %v %v", tt.name, tl, tr, tt.tl, tt.tr)
			}
		}
	}
	if _, _, err := Crop(base, 0, 400, Options{}); err == nil {
		t.Error("zero width accepted")
	}
}

func TestAreaShrink(t *testing.T) {
	// Unity gain: every run of weights sums to exactly one.
	for _, c := range [][2]int{{4000, 640}, {7, 3}, {5, 5}, {1000, 999}, {3, 1}} {
		ws := boxWeights(c[0], c[1])
		i := 0
		for x := range c[1] {
			sum := uint32(0)
			for _, w := range ws.w[i : i+ws.n[x]] {
				sum += w
			}
			i += ws.n[x]
			if sum != 1<<weightBits {
				t.Errorf("%d→%d: run %d sums to %d", c[0], c[1], x, sum)
			}
		}
	}
	// A 3→1 shrink of 0, 30, 60 averages to 30; 255s stay 255.
	src := plane{pix: []byte{0, 30, 60, 255, 255, 255}, stride: 3, w: 3, h: 2, bpp: 1}
	dst := plane{pix: make([]byte, 2), stride: 1, w: 1, h: 2, bpp: 1}
	areaShrink(dst, src)
	if dst.pix[0] != 30 || dst.pix[1] != 255 {
		t.Errorf("got %v, want [30 255]", dst.pix)
	}
}

func TestFit(t *testing.T) {
	if w, h := fitPixels(4000, 3000, DefaultResizePixels); w != 4000 || h != 3000 {
		t.Errorf("12 MP resized to %d×%d", w, h)
	}
	if w, h := fitPixels(8000, 6000, DefaultResizePixels); int64(w)*int64(h) > DefaultResizePixels || w < 4720 || h < 3540 {
		t.Errorf("48 MP → %d×%d", w, h)
	}
	if w, h := fitPixels(100000, 1, 1000); w != 1000 || h != 1 {
		t.Errorf("sliver → %d×%d", w, h)
	}
	if w, h := fitBox(4000, 3000, 640); w != 640 || h != 480 {
		t.Errorf("fitBox → %d×%d", w, h)
	}
	if w, h := fitBox(10, 5000, 640); w != 1 || h != 640 {
		t.Errorf("fitBox sliver → %d×%d", w, h)
	}
}
