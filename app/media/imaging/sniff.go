package imaging

import (
	"bytes"
	"encoding/binary"
)

// Kind is the broad class of a media file.
type Kind int

// Media kinds returned by Sniff and Probe.
const (
	KindUnknown Kind = iota
	KindImage
	KindVideo
	KindAudio
)

// String returns "image", "video", "audio" or "unknown".
func (k Kind) String() string {
	switch k {
	case KindImage:
		return "image"
	case KindVideo:
		return "video"
	case KindAudio:
		return "audio"
	}
	return "unknown"
}

// MIME types produced by Sniff, Probe and Process.
const (
	MimeJPEG      = "image/jpeg"
	MimePNG       = "image/png"
	MimeGIF       = "image/gif"
	MimeWebP      = "image/webp"
	MimeMP4       = "video/mp4"
	MimeQuickTime = "video/quicktime"
	MimeWebM      = "video/webm"
	MimeAudioWebM = "audio/webm"
	MimeMP3       = "audio/mpeg"
	MimeOgg       = "audio/ogg"
	MimeM4A       = "audio/mp4"
	MimeWAV       = "audio/wave"
	MimeFLAC      = "audio/flac"
)

// SniffLen is how many leading bytes Sniff needs to recognise every
// supported type. Passing fewer works for most formats.
const SniffLen = 512

// Sniff identifies a media file from its leading bytes (ideally SniffLen of
// them). It never looks at names or declared types: an HTML page called
// x.png is refused. Anything that is not a supported image, video or audio
// format yields an error wrapping ErrUnsupportedType.
//
// ISO-BMFF files are classified by their ftyp brands: the MP4 family gives
// video/mp4, M4A/M4B gives audio/mp4, and QuickTime ("qt  ") gives
// video/quicktime (KindVideo) so the caller can decide whether to accept or
// transcode it; other brands (HEIC, AVIF, 3GPP...) are refused. Probe may
// refine video/mp4 to audio/mp4 (and video/webm to audio/webm) when the file
// has no video track.
func Sniff(head []byte) (Kind, string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return KindImage, MimeJPEG, nil
	case bytes.HasPrefix(head, pngSignature):
		return KindImage, MimePNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return KindImage, MimeGIF, nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return KindImage, MimeWebP, nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WAVE":
		return KindAudio, MimeWAV, nil
	case bytes.HasPrefix(head, []byte("fLaC")):
		return KindAudio, MimeFLAC, nil
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return sniffFtyp(head)
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		return sniffEBML(head)
	case bytes.HasPrefix(head, []byte("OggS")):
		return sniffOgg(head)
	case bytes.HasPrefix(head, []byte("ID3")) && len(head) >= 10 && head[3] < 0xFF && head[4] < 0xFF:
		return KindAudio, MimeMP3, nil
	case isMP3Frame(head):
		return KindAudio, MimeMP3, nil
	}
	return KindUnknown, "", wrapf(ErrUnsupportedType, "content looks like %s", describe(head))
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// sniffFtyp classifies an ISO-BMFF file by its major and compatible brands.
func sniffFtyp(head []byte) (Kind, string, error) {
	size := int(binary.BigEndian.Uint32(head))
	size = max(size, 16)        // malformed: no compatible brands
	size = min(size, len(head)) // truncated head: inspect what we have
	major := string(head[8:12])
	brands := []string{major}
	for i := 16; i+4 <= size; i += 4 {
		brands = append(brands, string(head[i:i+4]))
	}
	switch {
	case audioBrands[major]:
		return KindAudio, MimeM4A, nil
	case mp4Brands[major]:
		return KindVideo, MimeMP4, nil
	case major == "qt  ":
		return KindVideo, MimeQuickTime, nil
	}
	// An unknown major brand is accepted only if a compatible brand is MP4
	// and no compatible brand names an image format we cannot decode.
	mp4 := false
	for _, b := range brands[1:] {
		if imageBrands[b] {
			return KindUnknown, "", wrapf(ErrUnsupportedType, "ISO-BMFF image brand %q", major)
		}
		mp4 = mp4 || mp4Brands[b]
	}
	if mp4 {
		return KindVideo, MimeMP4, nil
	}
	return KindUnknown, "", wrapf(ErrUnsupportedType, "ISO-BMFF brand %q", major)
}

var (
	mp4Brands = map[string]bool{
		"isom": true, "iso2": true, "iso3": true, "iso4": true, "iso5": true,
		"iso6": true, "iso7": true, "iso8": true, "iso9": true, "mp41": true,
		"mp42": true, "avc1": true, "dash": true, "MSNV": true, "M4V ": true,
		"M4VH": true, "M4VP": true, "mmp4": true, "f4v ": true, "NDAS": true,
	}
	audioBrands = map[string]bool{"M4A ": true, "M4B ": true, "M4P ": true, "F4A ": true}
	imageBrands = map[string]bool{
		"heic": true, "heix": true, "heim": true, "heis": true, "hevc": true,
		"mif1": true, "msf1": true, "avif": true, "avis": true,
	}
)

// sniffEBML accepts Matroska files only when their DocType is "webm".
func sniffEBML(head []byte) (Kind, string, error) {
	doctype := ""
	walkEBML(head, func(id uint32, body []byte) bool {
		if id == 0x1A45DFA3 { // EBML header
			walkEBML(body, func(id uint32, b []byte) bool {
				if id == 0x4282 { // DocType
					doctype = string(b)
					return false
				}
				return true
			})
		}
		return false
	})
	switch doctype {
	case "webm":
		return KindVideo, MimeWebM, nil
	case "matroska":
		return KindUnknown, "", wrapf(ErrUnsupportedType, "Matroska (not WebM) container")
	}
	return KindUnknown, "", wrapf(ErrUnsupportedType, "EBML file without a WebM DocType")
}

// sniffOgg accepts Ogg streams whose first packet is Opus, Vorbis or FLAC.
func sniffOgg(head []byte) (Kind, string, error) {
	if len(head) < 27 {
		return KindUnknown, "", wrapf(ErrUnsupportedType, "truncated Ogg page")
	}
	p := 27 + int(head[26]) // header + segment table
	if p < len(head) {
		pkt := head[p:]
		switch {
		case bytes.HasPrefix(pkt, []byte("OpusHead")),
			bytes.HasPrefix(pkt, []byte("\x01vorbis")),
			bytes.HasPrefix(pkt, []byte("\x7fFLAC")):
			return KindAudio, MimeOgg, nil
		}
	}
	return KindUnknown, "", wrapf(ErrUnsupportedType, "Ogg stream with an unsupported codec")
}

// isMP3Frame reports whether head starts with a plausible MPEG-1/2/2.5
// Layer III frame header. When the head is long enough to contain the next
// frame, its sync word must be present too, which makes false positives on
// arbitrary binary data unlikely.
func isMP3Frame(head []byte) bool {
	n := mp3FrameLen(head)
	if n == 0 {
		return false
	}
	if n+2 <= len(head) {
		return mp3FrameLen(head[n:]) > 0
	}
	return true
}

// mp3FrameLen decodes an MPEG audio Layer III frame header and returns the
// frame length in bytes, or 0 when b does not start with a valid header.
func mp3FrameLen(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return 0
	}
	version := (b[1] >> 3) & 3 // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
	layer := (b[1] >> 1) & 3   // 1: Layer III
	bitrate := b[2] >> 4
	rate := (b[2] >> 2) & 3
	if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 {
		return 0
	}
	padding := int(b[2]>>1) & 1
	rates := [4]int{44100, 48000, 32000}
	sr := rates[rate]
	if version == 3 {
		kbps := [15]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
		return 144*kbps[bitrate]*1000/sr + padding
	}
	if version == 2 {
		sr /= 2
	} else {
		sr /= 4
	}
	kbps := [15]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	return 72*kbps[bitrate]*1000/sr + padding
}

// describe guesses what refused content is, for the error message only.
func describe(head []byte) string {
	t := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n\f")
	lower := bytes.ToLower(t[:min(len(t), 256)])
	switch {
	case len(head) == 0:
		return "an empty file"
	case bytes.HasPrefix(lower, []byte("<svg")), bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("<svg")):
		return "SVG"
	case bytes.HasPrefix(lower, []byte("<!doctype html")), bytes.HasPrefix(lower, []byte("<html")),
		bytes.HasPrefix(lower, []byte("<head")), bytes.HasPrefix(lower, []byte("<body")),
		bytes.HasPrefix(lower, []byte("<script")), bytes.HasPrefix(lower, []byte("<!--")):
		return "HTML"
	case bytes.HasPrefix(lower, []byte("<?xml")):
		return "XML"
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "PDF"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return "a ZIP archive"
	case bytes.HasPrefix(head, []byte("\x7fELF")), bytes.HasPrefix(head, []byte("MZ")),
		bytes.HasPrefix(head, []byte("#!")), bytes.HasPrefix(head, []byte{0xCF, 0xFA, 0xED, 0xFE}):
		return "an executable"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return "an ISO-BMFF file"
	case isText(head):
		return "text"
	}
	return "an unknown binary format"
}

// isText reports whether head has no control bytes other than whitespace.
func isText(head []byte) bool {
	for _, c := range head[:min(len(head), 512)] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			return false
		}
	}
	return true
}
