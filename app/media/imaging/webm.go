package imaging

import (
	"encoding/binary"
	"math"
	"time"
)

// EBML element IDs used by probeWebM (marker bits included, as written).
const (
	ebmlSegment       = 0x18538067
	ebmlInfo          = 0x1549A966
	ebmlTimecodeScale = 0x2AD7B1
	ebmlDuration      = 0x4489
	ebmlTracks        = 0x1654AE6B
	ebmlTrackEntry    = 0xAE
	ebmlTrackType     = 0x83
	ebmlVideo         = 0xE0
	ebmlPixelWidth    = 0xB0
	ebmlPixelHeight   = 0xBA
	ebmlCluster       = 0x1F43B675
)

// probeWebM reads Segment/Info (duration) and Segment/Tracks (video size)
// and stops at the first Cluster, where the media data begins. A WebM
// without a video track is reported as audio/webm.
func probeWebM(data []byte, info *Info) error {
	scale := uint64(1_000_000) // default TimecodeScale: 1 ms
	var duration float64
	video, audio := false, false
	walkEBML(data, func(id uint32, body []byte) bool {
		if id != ebmlSegment {
			return true
		}
		walkEBML(body, func(id uint32, body []byte) bool {
			switch id {
			case ebmlCluster:
				return false
			case ebmlInfo:
				walkEBML(body, func(id uint32, b []byte) bool {
					switch id {
					case ebmlTimecodeScale:
						if s := ebmlUint(b); s > 0 {
							scale = s
						}
					case ebmlDuration:
						duration = ebmlFloat(b)
					}
					return true
				})
			case ebmlTracks:
				walkEBML(body, func(id uint32, entry []byte) bool {
					if id != ebmlTrackEntry {
						return true
					}
					typ, w, h := webmTrack(entry)
					switch typ {
					case 1:
						if !video && w > 0 && h > 0 {
							info.Width, info.Height = w, h
						}
						video = true
					case 2:
						audio = true
					}
					return true
				})
			}
			return true
		})
		return false
	})
	if d := duration * float64(scale); d > 0 && d < math.MaxInt64/2 {
		info.Duration = time.Duration(d)
	}
	if audio && !video {
		info.Kind, info.Mime = KindAudio, MimeAudioWebM
	}
	return nil
}

// webmTrack returns the TrackType and, for video, the pixel size.
func webmTrack(entry []byte) (typ uint64, w, h int) {
	walkEBML(entry, func(id uint32, b []byte) bool {
		switch id {
		case ebmlTrackType:
			typ = ebmlUint(b)
		case ebmlVideo:
			walkEBML(b, func(id uint32, b []byte) bool {
				switch id {
				case ebmlPixelWidth:
					w = int(min(ebmlUint(b), 1<<20))
				case ebmlPixelHeight:
					h = int(min(ebmlUint(b), 1<<20))
				}
				return true
			})
		}
		return true
	})
	return typ, w, h
}

// walkEBML calls fn for each element in b until fn returns false. An
// element of unknown or excessive size is passed everything that remains
// (live-streamed Segments and Clusters are written that way) and ends the
// walk. Every iteration consumes at least two bytes.
func walkEBML(b []byte, fn func(id uint32, body []byte) bool) {
	for len(b) >= 2 {
		id, n := ebmlVint(b, true)
		if n == 0 || n > 4 {
			return
		}
		size, m := ebmlVint(b[n:], false)
		if m == 0 {
			return
		}
		b = b[n+m:]
		if size == 1<<(7*m)-1 || size > uint64(len(b)) { // unknown or truncated
			fn(uint32(id), b)
			return
		}
		if !fn(uint32(id), b[:size]) {
			return
		}
		b = b[size:]
	}
}

// ebmlVint decodes a variable-length integer, keeping the length marker for
// IDs and stripping it for sizes. It returns the length in bytes, 0 when
// invalid.
func ebmlVint(b []byte, keepMarker bool) (uint64, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	n := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > len(b) {
		return 0, 0
	}
	v := uint64(b[0])
	if !keepMarker {
		v &= uint64(0xFF >> n)
	}
	for _, c := range b[1:n] {
		v = v<<8 | uint64(c)
	}
	return v, n
}

// ebmlUint decodes a big-endian unsigned integer element of 0-8 bytes.
func ebmlUint(b []byte) uint64 {
	if len(b) > 8 {
		return 0
	}
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// ebmlFloat decodes a 4- or 8-byte float element.
func ebmlFloat(b []byte) float64 {
	switch len(b) {
	case 4:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
	case 8:
		return math.Float64frombits(binary.BigEndian.Uint64(b))
	}
	return 0
}
