package imaging

import (
	"encoding/binary"
	"time"
)

// probeMP4 parses the ISO-BMFF box tree (MP4, M4A, QuickTime): moov/mvhd
// for the duration, and for every moov/trak its tkhd (size and rotation
// matrix) and mdia/hdlr (track type). Only these containers are entered, so
// the recursion depth is fixed; each step advances at least 8 bytes, so the
// walk is linear in len(data). A file without moov is accepted with zero
// dimensions and duration (e.g. a truncated upload is caught later by the
// transcoder, not here).
func probeMP4(data []byte, info *Info) error {
	var video, audio bool
	err := walkBoxes(data, func(typ string, moov []byte) error {
		if typ != "moov" {
			return nil
		}
		return walkBoxes(moov, func(typ string, b []byte) error {
			switch typ {
			case "mvhd":
				info.Duration = mvhdDuration(b)
			case "trak":
				t := parseTrak(b)
				switch t.handler {
				case "vide":
					if !video && t.width > 0 && t.height > 0 {
						info.Width, info.Height = t.width, t.height
					}
					video = true
				case "soun":
					audio = true
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	// The brand says what the muxer intended; the tracks say what it is.
	if audio && !video {
		info.Kind, info.Mime = KindAudio, MimeM4A
	} else if video && info.Mime == MimeM4A {
		info.Kind, info.Mime = KindVideo, MimeMP4
	}
	return nil
}

// walkBoxes calls fn with the type and payload of each box in b. A box that
// claims to extend past the end of b is passed truncated (the last box of a
// partial download); a malformed size stops the walk.
func walkBoxes(b []byte, fn func(typ string, payload []byte) error) error {
	for len(b) >= 8 {
		size := uint64(binary.BigEndian.Uint32(b))
		typ := string(b[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // extends to the end of the enclosing box
			size = uint64(len(b))
		case 1: // 64-bit size follows the type
			if len(b) < 16 {
				return nil
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr {
			return nil
		}
		end := min(size, uint64(len(b)))
		if err := fn(typ, b[hdr:end]); err != nil {
			return err
		}
		b = b[end:]
	}
	return nil
}

// mvhdDuration reads the movie duration; zero when absent or unknown.
func mvhdDuration(b []byte) time.Duration {
	if len(b) < 4 {
		return 0
	}
	var scale, dur uint64
	if b[0] == 1 { // version 1: 64-bit times
		if len(b) < 32 {
			return 0
		}
		scale, dur = uint64(binary.BigEndian.Uint32(b[20:])), binary.BigEndian.Uint64(b[24:])
		if dur == 1<<64-1 {
			return 0
		}
	} else {
		if len(b) < 20 {
			return 0
		}
		scale, dur = uint64(binary.BigEndian.Uint32(b[12:])), uint64(binary.BigEndian.Uint32(b[16:]))
		if dur == 1<<32-1 {
			return 0
		}
	}
	return ticks(dur, scale)
}

// ticks converts dur units of 1/scale seconds to a Duration without
// overflow, returning 0 for nonsense (no scale, or more than ~290 years).
func ticks(dur, scale uint64) time.Duration {
	if scale == 0 {
		return 0
	}
	sec, rem := dur/scale, dur%scale
	if sec >= 1<<33 {
		return 0
	}
	return time.Duration(sec)*time.Second + time.Duration(rem*uint64(time.Second)/scale)
}

type trak struct {
	handler       string
	width, height int
}

// parseTrak reads tkhd and mdia/hdlr from a trak payload.
func parseTrak(b []byte) trak {
	var t trak
	_ = walkBoxes(b, func(typ string, p []byte) error {
		switch typ {
		case "tkhd":
			t.width, t.height = tkhdSize(p)
		case "mdia":
			_ = walkBoxes(p, func(typ string, p []byte) error {
				if typ == "hdlr" && len(p) >= 12 {
					t.handler = string(p[8:12])
				}
				return nil
			})
		}
		return nil
	})
	return t
}

// tkhdSize reads the presentation size of a track (16.16 fixed point) and
// swaps it when the transformation matrix rotates by ±90°, which is how
// phones record portrait video.
func tkhdSize(b []byte) (w, h int) {
	off := 40 // version 0: 4 flags + 5×4 times/ids + 16 reserved/layer/volume
	if len(b) > 0 && b[0] == 1 {
		off = 52 // version 1: three fields are 8 bytes
	}
	if len(b) < off+44 {
		return 0, 0
	}
	m := b[off:]
	a, bb := int32(binary.BigEndian.Uint32(m)), int32(binary.BigEndian.Uint32(m[4:]))
	c, d := int32(binary.BigEndian.Uint32(m[12:])), int32(binary.BigEndian.Uint32(m[16:]))
	w = int(binary.BigEndian.Uint32(m[36:]) >> 16)
	h = int(binary.BigEndian.Uint32(m[40:]) >> 16)
	if a == 0 && d == 0 && bb != 0 && c != 0 {
		w, h = h, w
	}
	return w, h
}
