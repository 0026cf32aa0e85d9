// Package imaging inspects and sanitises uploaded media.
//
// Everything here is a pure function over bytes: no database, no HTTP, no
// external programs (the package builds with CGO_ENABLED=0).
//
//   - Sniff identifies a file from its first bytes only; file names and
//     client-supplied types are never consulted.
//   - Probe reads headers (never pixels) to report dimensions, animation and
//     duration, and refuses images whose header claims more pixels than the
//     configured limit before anything large is allocated.
//   - Process decodes an image, applies its EXIF orientation, downsizes it
//     when it exceeds Options.ResizePixels, re-encodes it (which drops every
//     piece of metadata: EXIF, GPS, XMP, ICC, text chunks, comments) and
//     derives a thumbnail and a blurhash.
//   - Crop produces exact-size centre crops for avatars and headers.
//
// Errors wrap the sentinels ErrUnsupportedType, ErrTooManyPixels and
// ErrCorrupt; test for them with errors.Is. No input makes these functions
// panic: panics from third-party decoders are recovered and reported as
// ErrCorrupt.
package imaging
