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
)

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

func TestProcessResizePixels(t *testing.T) {
	const limit = 250_000
	jpg := mustJPEG(t, photo(1500, 1000, 3), 85)
	for _, tc := range []struct {
		name string
		data []byte
		mime string
		w, h int
	}{
		{"jpeg 1500×1000", jpg, MimeJPEG, 612, 408},
		{"jpeg orientation 6", withExif(jpg, 6), MimeJPEG, 408, 612},
		{"png 2000×1000", mustPNG(t, quadrants(2000, 1000)), MimePNG, 707, 353},
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
			if c := img.At(100, 100); c != color.Color(red) {
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
