package imaging

import (
	"encoding/binary"
	"errors"
	"image"
	"math"
	"runtime"
	"testing"
	"time"
)

func TestProbeImages(t *testing.T) {
	tests := []struct {
		name         string
		data         []byte
		mime         string
		w, h, orient int
		animated     bool
		frames       int
	}{
		{"jpeg", mustJPEG(t, photo(120, 80, 1), 80), MimeJPEG, 120, 80, 1, false, 1},
		{"jpeg orientation 6 swaps", withExif(mustJPEG(t, photo(120, 80, 1), 80), 6), MimeJPEG, 80, 120, 6, false, 1},
		{"jpeg orientation 3 keeps", withExif(mustJPEG(t, photo(120, 80, 1), 80), 3), MimeJPEG, 120, 80, 3, false, 1},
		{"png", mustPNG(t, image.NewNRGBA(image.Rect(0, 0, 33, 17))), MimePNG, 33, 17, 1, false, 1},
		{"gif animated", animatedGIF(t, 30, 20, 3, 2), MimeGIF, 30, 20, 1, true, 3},
		{"gif still", animatedGIF(t, 30, 20, 1, -1), MimeGIF, 30, 20, 1, false, 1},
		{"webp lossless", webpLossless(13, 7, 1, 2, 3, 4, 255), MimeWebP, 13, 7, 1, false, 1},
		{"webp extended", webpExtended(13, 7, 0, vp8l(13, 7, 1, 2, 3, 4, 255), exifTIFF(1)), MimeWebP, 13, 7, 1, false, 1},
		{"webp animated", webpExtended(13, 7, 0x02, vp8l(13, 7, 1, 2, 3, 4, 255), nil), MimeWebP, 13, 7, 1, true, 1},
	}
	for _, tt := range tests {
		info, err := Probe(tt.data)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		want := Info{Kind: KindImage, Mime: tt.mime, Width: tt.w, Height: tt.h, Orientation: tt.orient, Animated: tt.animated, Frames: tt.frames}
		if info != want {
			t.Errorf("%s: Probe = %+v, want %+v", tt.name, info, want)
		}
	}
}

// TestDecompressionBomb: a 100,000 × 100,000 PNG header (40 GB of RGBA) is
// refused from the header alone, fast and without a large allocation.
func TestDecompressionBomb(t *testing.T) {
	bomb := pngHeaderOnly(100_000, 100_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, probeErr := Probe(bomb)
	_, processErr := Process(bomb, Options{})
	_, _, cropErr := Crop(bomb, 400, 400, Options{})
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	for name, err := range map[string]error{"Probe": probeErr, "Process": processErr, "Crop": cropErr} {
		if !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s: err = %v, want ErrTooManyPixels", name, err)
		}
	}
	if elapsed > 100*time.Millisecond {
		t.Errorf("refusing took %v", elapsed)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 1<<20 {
		t.Errorf("refusing allocated %d bytes", d)
	}
	if n := testing.AllocsPerRun(10, func() { _, _ = Probe(bomb) }); n > 10 {
		t.Errorf("Probe of a bomb: %v allocations per run", n)
	}
}

func TestPixelLimits(t *testing.T) {
	lim := Limits{MaxPixels: 1000}
	big := map[string][]byte{
		"jpeg": mustJPEG(t, photo(40, 30, 1), 80),
		"png":  mustPNG(t, image.NewGray(image.Rect(0, 0, 40, 30))),
		"gif":  animatedGIF(t, 40, 30, 2, 0),
		"webp": webpLossless(40, 30, 1, 2, 3, 4, 255),
	}
	for name, data := range big {
		if _, err := lim.Probe(data); !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("%s 40×30 with MaxPixels 1000: %v", name, err)
		}
		if _, err := (Limits{MaxPixels: 1200}).Probe(data); err != nil {
			t.Errorf("%s 40×30 with MaxPixels 1200: %v", name, err)
		}
	}
	// A WebP header at the format maximum, and a JPEG SOF claiming 65535².
	if _, err := Probe(webpExtended(16384, 16384, 0, nil, nil)); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("huge VP8X: %v", err)
	}
	jpg := mustJPEG(t, photo(16, 16, 1), 80)
	for i := 2; i+9 < len(jpg); i++ {
		if jpg[i] == 0xFF && jpg[i+1] == 0xC0 {
			binary.BigEndian.PutUint32(jpg[i+5:], 0xFFFFFFFF)
			break
		}
	}
	if _, err := Process(jpg, Options{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("huge SOF: %v", err)
	}
	// Animations: frame count and total area.
	anim := animatedGIF(t, 30, 20, 5, 0)
	if _, err := (Limits{MaxFrames: 4}).Probe(anim); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("5 frames, MaxFrames 4: %v", err)
	}
	if _, err := (Limits{MaxAnimationPixels: 4 * 600}).Probe(anim); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("5×600 pixels, MaxAnimationPixels 2400: %v", err)
	}
	if _, err := (Limits{MaxFrames: 5, MaxAnimationPixels: 3000}).Probe(anim); err != nil {
		t.Errorf("within animation limits: %v", err)
	}
}

func TestProbeCorrupt(t *testing.T) {
	jpg := mustJPEG(t, photo(16, 16, 1), 80)
	cases := map[string][]byte{
		"jpeg soi only":  jpg[:3],
		"png no ihdr":    pngSignature,
		"gif no frames":  []byte("GIF89a\x10\x00\x10\x00\x00\x00\x00;"),
		"gif bad block":  []byte("GIF89a\x10\x00\x10\x00\x00\x00\x00\x99"),
		"webp no chunks": riff("WEBP"),
		"png zero width": pngHeaderOnly(0, 10),
	}
	for name, data := range cases {
		if _, err := Probe(data); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
}

func TestProbeMP4(t *testing.T) {
	identity := func(w, h uint32) []byte { return tkhd0(w, h, 0x10000, 0, 0, 0x10000) }
	video := func(tk []byte) []byte { return box("trak", tk, box("mdia", hdlr("vide"))) }
	sound := box("trak", identity(0, 0), box("mdia", hdlr("soun")))
	tests := []struct {
		name string
		data []byte
		want Info
	}{
		{"video+audio", mp4File("isom", []string{"isom", "avc1"}, mvhd0(1000, 12345), video(identity(1920, 1080)), sound),
			Info{Kind: KindVideo, Mime: MimeMP4, Width: 1920, Height: 1080, Orientation: 1, Duration: 12345 * time.Millisecond}},
		{"portrait phone video (90° matrix)", mp4File("mp42", nil, mvhd0(600, 1800), video(tkhd0(1920, 1080, 0, 0x10000, -0x10000, 0))),
			Info{Kind: KindVideo, Mime: MimeMP4, Width: 1080, Height: 1920, Orientation: 1, Duration: 3 * time.Second}},
		{"quicktime", mp4File("qt  ", nil, mvhd0(1000, 500), video(identity(640, 480))),
			Info{Kind: KindVideo, Mime: MimeQuickTime, Width: 640, Height: 480, Orientation: 1, Duration: 500 * time.Millisecond}},
		{"m4a", mp4File("M4A ", nil, mvhd0(44100, 44100*61), sound),
			Info{Kind: KindAudio, Mime: MimeM4A, Orientation: 1, Duration: 61 * time.Second}},
		{"audio-only mp4 is audio/mp4", mp4File("mp42", nil, mvhd0(1000, 2000), sound),
			Info{Kind: KindAudio, Mime: MimeM4A, Orientation: 1, Duration: 2 * time.Second}},
		{"unknown duration", mp4File("isom", nil, mvhd0(1000, 0xFFFFFFFF), video(identity(320, 240))),
			Info{Kind: KindVideo, Mime: MimeMP4, Width: 320, Height: 240, Orientation: 1}},
		{"no moov (truncated upload)", box("ftyp", []byte("isom\x00\x00\x02\x00")),
			Info{Kind: KindVideo, Mime: MimeMP4, Orientation: 1}},
	}
	for _, tt := range tests {
		got, err := Probe(tt.data)
		if err != nil || got != tt.want {
			t.Errorf("%s: Probe = %+v, %v\nwant %+v", tt.name, got, err, tt.want)
		}
	}

	// Version-1 mvhd (64-bit fields) inside a 64-bit "largesize" moov box.
	mvhd1 := box("mvhd", []byte{1, 0, 0, 0}, make([]byte, 16), be32(90000), be32(0, 90000*7), make([]byte, 80))
	body := append(mvhd1, video(identity(1280, 720))...)
	large := append(be32(1), "moov"...)
	large = binary.BigEndian.AppendUint64(large, uint64(16+len(body)))
	data := append(box("ftyp", []byte("isom\x00\x00\x02\x00")), append(large, body...)...)
	if got, err := Probe(data); err != nil || got.Width != 1280 || got.Height != 720 || got.Duration != 7*time.Second {
		t.Errorf("v1 mvhd in largesize moov: %+v, %v", got, err)
	}
}

// ebmlElem encodes an EBML element with a one-to-eight-byte size.
func ebmlElem(id uint32, body ...[]byte) []byte {
	var out []byte
	for s := 24; s >= 0; s -= 8 {
		if b := byte(id >> s); b != 0 || len(out) > 0 {
			out = append(out, b)
		}
	}
	var payload []byte
	for _, b := range body {
		payload = append(payload, b...)
	}
	size := binary.BigEndian.AppendUint64(nil, uint64(len(payload)))
	size[0] = 0x01 // 8-byte vint marker
	return append(append(out, size...), payload...)
}

func TestProbeWebM(t *testing.T) {
	header := ebmlElem(0x1A45DFA3, ebmlElem(0x4282, []byte("webm")))
	dur := binary.BigEndian.AppendUint64(nil, math.Float64bits(4500)) // 4.5 s at 1 ms
	info := ebmlElem(ebmlInfo, ebmlElem(ebmlTimecodeScale, []byte{0x0F, 0x42, 0x40}), ebmlElem(ebmlDuration, dur))
	videoTrack := ebmlElem(ebmlTrackEntry, ebmlElem(ebmlTrackType, []byte{1}),
		ebmlElem(ebmlVideo, ebmlElem(ebmlPixelWidth, []byte{0x02, 0x80}), ebmlElem(ebmlPixelHeight, []byte{0x01, 0x68})))
	audioTrack := ebmlElem(ebmlTrackEntry, ebmlElem(ebmlTrackType, []byte{2}))
	cluster := ebmlElem(ebmlCluster, make([]byte, 32))

	data := append(header, ebmlElem(ebmlSegment, info, ebmlElem(ebmlTracks, videoTrack, audioTrack), cluster)...)
	got, err := Probe(data)
	want := Info{Kind: KindVideo, Mime: MimeWebM, Width: 640, Height: 360, Orientation: 1, Duration: 4500 * time.Millisecond}
	if err != nil || got != want {
		t.Errorf("webm: %+v, %v; want %+v", got, err, want)
	}
	audioOnly := append(header, ebmlElem(ebmlSegment, info, ebmlElem(ebmlTracks, audioTrack))...)
	if got, err := Probe(audioOnly); err != nil || got.Mime != MimeAudioWebM || got.Kind != KindAudio {
		t.Errorf("audio-only webm: %+v, %v", got, err)
	}
}

func TestProbeAudio(t *testing.T) {
	le := binary.LittleEndian
	fmtChunk := le.AppendUint16(nil, 1)     // PCM
	fmtChunk = le.AppendUint16(fmtChunk, 1) // mono
	fmtChunk = le.AppendUint32(fmtChunk, 8000)
	fmtChunk = le.AppendUint32(fmtChunk, 16000) // byte rate
	fmtChunk = le.AppendUint16(fmtChunk, 2)
	fmtChunk = le.AppendUint16(fmtChunk, 16)
	wav := riff("WAVE", riffChunk("fmt ", fmtChunk), riffChunk("data", make([]byte, 40000)))

	// STREAMINFO: 44.1 kHz, 2 channels, 16 bits, 176400 samples (4 s).
	si := make([]byte, 34)
	rate, total := uint64(44100), uint64(176400)
	v := rate<<44 | 1<<41 | 15<<36 | total
	binary.BigEndian.PutUint64(si[10:], v)
	flac := append([]byte("fLaC\x80\x00\x00\x22"), si...)

	page := func(granule uint64, packet string) []byte {
		h := []byte("OggS\x00\x00")
		h = le.AppendUint64(h, granule)
		h = le.AppendUint32(h, 0x1234) // serial
		h = append(h, make([]byte, 8)...)
		h = append(h, 1, byte(len(packet)))
		return append(h, packet...)
	}
	opusHead := "OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00" // pre-skip 312
	opus := append(page(0, opusHead), page(48000*3+312, "audio")...)
	vorbisHead := "\x01vorbis\x00\x00\x00\x00\x02\x44\xac\x00\x00"
	vorbis := append(page(0, vorbisHead), page(44100*2, "audio")...)

	tests := []struct {
		name string
		data []byte
		mime string
		dur  time.Duration
	}{
		{"wav", wav, MimeWAV, 2500 * time.Millisecond},
		{"flac", flac, MimeFLAC, 4 * time.Second},
		{"opus", opus, MimeOgg, 3 * time.Second},
		{"vorbis", vorbis, MimeOgg, 2 * time.Second},
	}
	for _, tt := range tests {
		got, err := Probe(tt.data)
		if err != nil || got.Mime != tt.mime || got.Kind != KindAudio || got.Duration != tt.dur {
			t.Errorf("%s: %+v, %v; want %s lasting %v", tt.name, got, err, tt.mime, tt.dur)
		}
	}
}
