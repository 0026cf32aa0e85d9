package imaging

import (
	"errors"
	"image"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	small := mustJPEG(t, photo(8, 8, 1), 80)
	ebml := func(doctype string) []byte {
		return append([]byte{0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x80 | byte(len(doctype))}, doctype...)
	}
	ogg := func(packet string) []byte {
		h := []byte("OggS\x00\x02")
		h = append(h, make([]byte, 20)...)
		h = append(h, 1, byte(len(packet)))
		return append(h, packet...)
	}
	mp3 := []byte{0xFF, 0xFB, 0x90, 0x64} // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417-byte frames
	mp3Stream := append(append(append([]byte{}, mp3...), make([]byte, 413)...), mp3...)
	tests := []struct {
		name string
		head []byte
		kind Kind
		mime string
	}{
		{"jpeg", small, KindImage, MimeJPEG},
		{"png", mustPNG(t, image.NewGray(image.Rect(0, 0, 2, 2))), KindImage, MimePNG},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), KindImage, MimeGIF},
		{"webp", webpLossless(2, 2, 1, 2, 3, 4, 255), KindImage, MimeWebP},
		{"mp4", mp4File("isom", []string{"isom", "avc1"}), KindVideo, MimeMP4},
		{"mp4 via compatible brand", mp4File("XAVC", []string{"mp42"}), KindVideo, MimeMP4},
		{"m4a", mp4File("M4A ", []string{"M4A ", "mp42"}), KindAudio, MimeM4A},
		{"quicktime", mp4File("qt  ", []string{"qt  "}), KindVideo, MimeQuickTime},
		{"webm", ebml("webm"), KindVideo, MimeWebM},
		{"opus", ogg("OpusHead\x01\x02"), KindAudio, MimeOgg},
		{"vorbis", ogg("\x01vorbis\x00\x00"), KindAudio, MimeOgg},
		{"mp3 id3", []byte("ID3\x04\x00\x00\x00\x00\x00\x00"), KindAudio, MimeMP3},
		{"mp3 frames", mp3Stream, KindAudio, MimeMP3},
		{"wav", riff("WAVE", riffChunk("fmt ", make([]byte, 16))), KindAudio, MimeWAV},
		{"flac", []byte("fLaC\x00\x00\x00\x22"), KindAudio, MimeFLAC},
	}
	for _, tt := range tests {
		kind, mime, err := Sniff(tt.head)
		if err != nil || kind != tt.kind || mime != tt.mime {
			t.Errorf("%s: Sniff = %v, %q, %v; want %v, %q", tt.name, kind, mime, err, tt.kind, tt.mime)
		}
	}
}

func TestSniffRefuses(t *testing.T) {
	tests := []struct {
		name, head, says string
	}{
		// The upload is named x.png; the name must not matter.
		{"html named x.png", "<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"},
		{"html with bom", "\xEF\xBB\xBF  <html>", "HTML"},
		{"svg", `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`, "SVG"},
		{"pdf", "%PDF-1.7\n%\xE2\xE3", "PDF"},
		{"text", "just some words", "text"},
		{"elf", "\x7fELF\x02\x01\x01\x00", "executable"},
		{"pe", "MZ\x90\x00\x03\x00", "executable"},
		{"zip", "PK\x03\x04\x14\x00", "ZIP"},
		{"empty", "", "empty"},
		{"heic", string(mp4File("heic", []string{"mif1", "heic"})), "ISO-BMFF"},
		{"avif", string(mp4File("avif", []string{"avif", "mif1", "miaf"})), "ISO-BMFF"},
		{"matroska", "\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska", "Matroska"},
		{"theora", "OggS\x00\x02" + strings.Repeat("\x00", 20) + "\x01\x07\x80theora", "Ogg"},
		{"adts aac", "\xFF\xF1\x50\x80\x02\x1F\xFC", "binary"},
		{"riff avi", "RIFF\x00\x00\x00\x00AVI LIST", "binary"},
	}
	for _, tt := range tests {
		kind, mime, err := Sniff([]byte(tt.head))
		if !errors.Is(err, ErrUnsupportedType) || kind != KindUnknown || mime != "" {
			t.Errorf("%s: Sniff = %v, %q, %v; want ErrUnsupportedType", tt.name, kind, mime, err)
			continue
		}
		if !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.says)
		}
	}
}

// TestHTMLNamedPNGRefusedEverywhere: an HTML page uploaded as x.png must not
// get through any entry point.
func TestHTMLNamedPNGRefusedEverywhere(t *testing.T) {
	page := []byte("<html><body><img src=x onerror=alert(1)></body></html>")
	if _, err := Probe(page); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Probe: %v", err)
	}
	if _, err := Process(page, Options{}); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Process: %v", err)
	}
	if _, _, err := Crop(page, 400, 400, Options{}); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Crop: %v", err)
	}
}
