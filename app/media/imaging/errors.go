package imaging

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package wraps exactly one of
// them, with detail appended, so callers can map them with errors.Is (for
// example to HTTP 415, 422 and 422 respectively).
var (
	// ErrUnsupportedType reports content that is not one of the accepted
	// media types (HTML, SVG, PDF, executables, unknown codecs, ...).
	ErrUnsupportedType = errors.New("imaging: unsupported media type")
	// ErrTooManyPixels reports an image (or animation) larger than the
	// configured limits. It is detected from headers, before decoding.
	ErrTooManyPixels = errors.New("imaging: image exceeds the pixel limit")
	// ErrCorrupt reports truncated or malformed data.
	ErrCorrupt = errors.New("imaging: corrupt or truncated media")
)

// errInternal marks a recovered panic in this package's own code. It wraps
// ErrCorrupt so callers see a normal error; the fuzz tests look for it.
var errInternal = fmt.Errorf("%w: internal error", ErrCorrupt)

// wrapf returns an error that wraps sentinel and carries a formatted detail.
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

// guard converts a panic in the calling function into errInternal. Use it as
// `defer guard(&err)` at every exported entry point.
func guard(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: %v", errInternal, r)
	}
}
