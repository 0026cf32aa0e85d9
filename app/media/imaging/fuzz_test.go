package imaging

import (
	"errors"
	"image"
	"testing"
)

// fuzzSeeds returns one small valid sample of every supported format. Plain
// `go test` runs the fuzz functions over these seeds; `go test -fuzz`
// mutates them.
func fuzzSeeds(t testing.TB) [][]byte {
	jpg := mustJPEG(t, photo(24, 16, 1), 80)
	return [][]byte{
		jpg,
		withExif(jpg, 6),
		mustPNG(t, quadrants(12, 8)),
		insertAfterIHDR(mustPNG(t, image.NewNRGBA(image.Rect(0, 0, 4, 4))), pngChunk("acTL", make([]byte, 8))),
		animatedGIF(t, 12, 8, 3, 0),
		gifWithExtensions(animatedGIF(t, 12, 8, 1, -1)),
		webpLossless(9, 7, 1, 2, 3, 4, 255),
		webpExtended(9, 7, 0x10, vp8l(9, 7, 1, 2, 3, 4, 128), exifTIFF(3)),
		mp4File("isom", []string{"mp41"}, mvhd0(1000, 5000),
			box("trak", tkhd0(64, 48, 0x10000, 0, 0, 0x10000), box("mdia", hdlr("vide")))),
		mp4File("M4A ", nil, mvhd0(1000, 5000), box("trak", box("mdia", hdlr("soun")))),
		riff("WAVE", riffChunk("fmt ", make([]byte, 16)), riffChunk("data", make([]byte, 8))),
		[]byte("fLaC\x80\x00\x00\x22" + string(make([]byte, 34))),
		[]byte("OggS\x00\x02" + string(make([]byte, 20)) + "\x01\x13OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00"),
		append(ebmlElem(0x1A45DFA3, ebmlElem(0x4282, []byte("webm"))), ebmlElem(ebmlSegment,
			ebmlElem(ebmlInfo, ebmlElem(ebmlDuration, []byte{0x45, 0x9c, 0x40, 0x00})))...),
		{0xFF, 0xFB, 0x90, 0x64, 0, 0, 0},
		pngHeaderOnly(100_000, 100_000),
		[]byte("<html>"),
	}
}

// checkFuzzError asserts that err is nil or one of the package's sentinels,
// and never a recovered panic from this package's own code.
func checkFuzzError(t *testing.T, err error) {
	if err == nil {
		return
	}
	if errors.Is(err, errInternal) {
		t.Fatalf("internal panic: %v", err)
	}
	if !errors.Is(err, ErrUnsupportedType) && !errors.Is(err, ErrTooManyPixels) && !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error wraps no sentinel: %v", err)
	}
}

// FuzzProbe feeds arbitrary bytes to Sniff and Probe.
func FuzzProbe(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, err := Sniff(data)
		checkFuzzError(t, err)
		info, err := Probe(data)
		checkFuzzError(t, err)
		if err == nil && info.Kind == KindImage {
			if info.Width <= 0 || info.Height <= 0 || int64(info.Width)*int64(info.Height) > DefaultMaxPixels {
				t.Fatalf("accepted image of %d×%d", info.Width, info.Height)
			}
		}
	})
}

// FuzzProcess feeds arbitrary bytes to Process and Crop with small limits,
// so each iteration stays fast and bounded.
func FuzzProcess(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	opts := Options{MaxPixels: 1 << 16, ResizePixels: 1 << 12, ThumbnailSize: 32, MaxAnimationPixels: 1 << 18, MaxFrames: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Process(data, opts)
		checkFuzzError(t, err)
		if err == nil {
			if len(res.Original) == 0 || len(res.Thumbnail) == 0 || res.Blurhash == "" {
				t.Fatalf("incomplete result %+v", res)
			}
			if !res.Animated && int64(res.Width)*int64(res.Height) > opts.ResizePixels {
				t.Fatalf("not resized: %d×%d", res.Width, res.Height)
			}
		}
		_, _, err = Crop(data, 20, 10, opts)
		checkFuzzError(t, err)
	})
}
