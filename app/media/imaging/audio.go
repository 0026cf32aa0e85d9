package imaging

import (
	"bytes"
	"encoding/binary"
	"time"
)

// Audio duration probes. They are best effort: a malformed header leaves
// Info.Duration at zero rather than failing, because Sniff has already
// established the type and the duration is informational.

// probeWAV divides the size of the "data" chunk by the byte rate of "fmt ".
func probeWAV(data []byte, info *Info) {
	var byteRate, size uint64
	for p := 12; p+8 <= len(data); {
		n := uint64(binary.LittleEndian.Uint32(data[p+4:]))
		body := data[p+8:]
		switch string(data[p : p+4]) {
		case "fmt ":
			if len(body) >= 12 {
				byteRate = uint64(binary.LittleEndian.Uint32(body[8:]))
			}
		case "data":
			size = min(n, uint64(len(body))) // streamed WAVs write 0xFFFFFFFF
		}
		if n > uint64(len(data)) {
			break
		}
		p += 8 + int(n+n&1)
	}
	info.Duration = ticks(size, byteRate)
}

// probeFLAC reads the sample rate and total sample count from STREAMINFO,
// the mandatory first metadata block.
func probeFLAC(data []byte, info *Info) {
	if len(data) >= 8+18 && data[4]&0x7F == 0 {
		info.Duration = streamInfoDuration(data[8:])
	}
}

// streamInfoDuration decodes a FLAC STREAMINFO block body: after 10 bytes of
// block/frame sizes come 20 bits of sample rate, 3 of channels, 5 of bits
// per sample and 36 of total samples.
func streamInfoDuration(si []byte) time.Duration {
	if len(si) < 18 {
		return 0
	}
	rate := uint64(si[10])<<12 | uint64(si[11])<<4 | uint64(si[12])>>4
	total := uint64(si[13]&0x0F)<<32 | uint64(binary.BigEndian.Uint32(si[14:]))
	return ticks(total, rate)
}

// probeOgg takes the granule position of the last page of the first logical
// stream and divides it by the codec's granule rate (48 kHz for Opus, less
// its pre-skip; the sample rate from the Vorbis or FLAC header otherwise).
// Only the last 64 KiB are searched, so this is O(1) in the file size.
func probeOgg(data []byte, info *Info) {
	if len(data) < 28 {
		return
	}
	serial := binary.LittleEndian.Uint32(data[14:])
	pkt := data[min(27+int(data[26]), len(data)):]
	var rate, skip uint64
	switch {
	case bytes.HasPrefix(pkt, []byte("OpusHead")) && len(pkt) >= 12:
		rate, skip = 48000, uint64(binary.LittleEndian.Uint16(pkt[10:]))
	case bytes.HasPrefix(pkt, []byte("\x01vorbis")) && len(pkt) >= 16:
		rate = uint64(binary.LittleEndian.Uint32(pkt[12:]))
	case bytes.HasPrefix(pkt, []byte("\x7fFLAC")) && len(pkt) >= 13+4+18:
		info.Duration = streamInfoDuration(pkt[13+4:])
		return
	default:
		return
	}
	tail := data[max(0, len(data)-64<<10):]
	for i := len(tail) - 27; i >= 0; i-- {
		i = bytes.LastIndex(tail[:i+4], []byte("OggS"))
		if i < 0 || i+27 > len(tail) {
			return
		}
		page := tail[i:]
		granule := binary.LittleEndian.Uint64(page[6:])
		if binary.LittleEndian.Uint32(page[14:]) == serial && granule != 1<<64-1 {
			if granule > skip {
				info.Duration = ticks(granule-skip, rate)
			}
			return
		}
	}
}
