package federation

import (
	"errors"
	"fmt"
	"io"
)

// ErrResponseTooLarge is wrapped by the error for a response body larger
// than ClientOptions.MaxResponseSize.
var ErrResponseTooLarge = errors.New("federation: response too large")

// readLimited reads a whole body of at most limit bytes. A longer body is
// an error rather than a truncated read: a cut-off JSON document might
// still parse into something other than what the server sent. A declared
// Content-Length over the limit fails before anything is read.
func readLimited(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, fmt.Errorf("federation: body of %d bytes exceeds %d: %w", contentLength, limit, ErrResponseTooLarge)
	}
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("federation: body exceeds %d bytes: %w", limit, ErrResponseTooLarge)
	}
	return body, nil
}
