package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
)

// probeJPEG reads the frame size with image/jpeg's own header parser (so it
// is exactly what Decode will allocate) and the orientation with ours.
func probeJPEG(data []byte, info *Info) error {
	var cfgErr error
	err := safely(func() error {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		info.Width, info.Height, cfgErr = cfg.Width, cfg.Height, err
		return nil
	})
	if err == nil {
		err = cfgErr
	}
	if err != nil {
		return decodeError(MimeJPEG, err)
	}
	info.Frames = 1
	info.Orientation = jpegOrientation(data)
	if transposes(info.Orientation) {
		info.Width, info.Height = info.Height, info.Width
	}
	return nil
}

// probePNG reads IHDR, which the PNG specification puts first, and walks the
// chunks before IDAT to detect APNG (an acTL chunk).
func probePNG(data []byte, info *Info) error {
	if len(data) < 33 || string(data[12:16]) != "IHDR" || binary.BigEndian.Uint32(data[8:]) != 13 {
		return wrapf(ErrCorrupt, "PNG without a leading IHDR chunk")
	}
	w, h := binary.BigEndian.Uint32(data[16:]), binary.BigEndian.Uint32(data[20:])
	if w > 1<<31-1 || h > 1<<31-1 {
		return wrapf(ErrCorrupt, "PNG dimensions out of range")
	}
	info.Width, info.Height, info.Frames = int(w), int(h), 1
	for p := 8; p+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		typ := string(data[p+4 : p+8])
		if typ == "IDAT" {
			break
		}
		if typ == "acTL" && n >= 8 && int64(p)+16 <= int64(len(data)) {
			info.Animated = true
			info.Frames = int(binary.BigEndian.Uint32(data[p+8:]))
		}
		next := int64(p) + 12 + n
		if next > int64(len(data)) {
			break
		}
		p = int(next)
	}
	return nil
}

// probeWebP walks the RIFF chunks the way x/image/webp does and reads the
// size from the first VP8X, VP8 or VP8L chunk.
func probeWebP(data []byte, info *Info) error {
	info.Frames = 1
	for p := 12; p+8 <= len(data); {
		n := int64(binary.LittleEndian.Uint32(data[p+4:]))
		c := data[p+8 : p+8+int(min(n, int64(len(data)-p-8)))]
		switch string(data[p : p+4]) {
		case "VP8X":
			if len(c) < 10 {
				return wrapf(ErrCorrupt, "short WebP VP8X chunk")
			}
			info.Animated = c[0]&0x02 != 0
			info.Width = 1 + (int(c[4]) | int(c[5])<<8 | int(c[6])<<16)
			info.Height = 1 + (int(c[7]) | int(c[8])<<8 | int(c[9])<<16)
			return nil
		case "VP8 ":
			// 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
			if len(c) < 10 || c[3] != 0x9d || c[4] != 0x01 || c[5] != 0x2a {
				return wrapf(ErrCorrupt, "bad WebP VP8 frame header")
			}
			info.Width = int(binary.LittleEndian.Uint16(c[6:]) & 0x3fff)
			info.Height = int(binary.LittleEndian.Uint16(c[8:]) & 0x3fff)
			return nil
		case "VP8L":
			// Signature 0x2f, then 14-bit width-1 and height-1, LSB first.
			if len(c) < 5 || c[0] != 0x2f {
				return wrapf(ErrCorrupt, "bad WebP VP8L header")
			}
			v := binary.LittleEndian.Uint32(c[1:])
			info.Width = 1 + int(v&0x3fff)
			info.Height = 1 + int(v>>14&0x3fff)
			return nil
		}
		if n > int64(len(data)) {
			break
		}
		p += 8 + int(n+n&1) // chunks are padded to even sizes
	}
	return wrapf(ErrCorrupt, "WebP without an image chunk")
}

// probeGIF walks the GIF block structure without decompressing anything, to
// count frames and bound the memory image/gif.DecodeAll would need.
func probeGIF(data []byte, info *Info, l Limits) error {
	if len(data) < 13 {
		return wrapf(ErrCorrupt, "truncated GIF header")
	}
	info.Width = int(binary.LittleEndian.Uint16(data[6:]))
	info.Height = int(binary.LittleEndian.Uint16(data[8:]))
	p := 13
	if data[10]&0x80 != 0 {
		p += 3 << (data[10]&7 + 1)
	}
	var area int64
	frames := 0
loop:
	for p < len(data) {
		switch data[p] {
		case 0x21: // extension: label, then sub-blocks
			p = skipSubBlocks(data, p+2)
		case 0x2C: // image descriptor
			if p+10 > len(data) {
				break loop
			}
			fw := int(binary.LittleEndian.Uint16(data[p+5:]))
			fh := int(binary.LittleEndian.Uint16(data[p+7:]))
			if err := l.checkPixels(fw, fh); err != nil {
				return err
			}
			frames++
			area += int64(fw) * int64(fh)
			if frames > l.MaxFrames {
				return wrapf(ErrTooManyPixels, "GIF has more than %d frames", l.MaxFrames)
			}
			if area > l.MaxAnimationPixels {
				return wrapf(ErrTooManyPixels, "GIF frames total more than %d pixels", l.MaxAnimationPixels)
			}
			packed := data[p+9]
			p += 10
			if packed&0x80 != 0 {
				p += 3 << (packed&7 + 1)
			}
			p = skipSubBlocks(data, p+1) // +1: LZW minimum code size
		case 0x3B: // trailer
			break loop
		default:
			return wrapf(ErrCorrupt, "GIF: unknown block 0x%02x", data[p])
		}
	}
	if frames == 0 {
		return wrapf(ErrCorrupt, "GIF without frames")
	}
	info.Frames = frames
	info.Animated = frames > 1
	return nil
}

// skipSubBlocks returns the offset after the data sub-blocks starting at p.
func skipSubBlocks(data []byte, p int) int {
	for p < len(data) {
		n := int(data[p])
		p++
		if n == 0 {
			break
		}
		p += n
	}
	return p
}

// safely runs fn, turning a panic into ErrCorrupt. Third-party decoders are
// called through it: some of them panic on crafted input.
func safely(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: decoder panic: %v", ErrCorrupt, r)
		}
	}()
	return fn()
}

// decodeError maps a decoder error onto the package sentinels.
func decodeError(mime string, err error) error {
	var ju jpeg.UnsupportedError
	switch {
	case errors.Is(err, ErrCorrupt), errors.Is(err, ErrUnsupportedType), errors.Is(err, ErrTooManyPixels):
		return err
	case errors.As(err, &ju), isUnsupported(err):
		return wrapf(ErrUnsupportedType, "%s: %v", mime, err)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return wrapf(ErrCorrupt, "%s: truncated", mime)
	}
	return wrapf(ErrCorrupt, "%s: %v", mime, err)
}
