package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"testing"

	"golang.org/x/image/webp"
)

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
