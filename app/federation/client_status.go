package federation

import (
	"fmt"
	"net/http"
)

// statusBodyLimit is how much of an error response StatusError keeps: enough
// for a diagnostic message, not enough for a hostile server to fill logs.
const statusBodyLimit = 512

// StatusError is a non-2xx answer.
type StatusError struct {
	URL  string // URL of the request that got the answer
	Code int    // HTTP status code
	Body string // first 512 bytes of the response body
}

// Error describes the answer, quoting the start of the body.
func (e *StatusError) Error() string {
	msg := fmt.Sprintf("federation: %s: status %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if e.Body != "" {
		msg += fmt.Sprintf(": %q", e.Body)
	}
	return msg
}

// Permanent reports whether retrying cannot help: any 4xx except 408
// (Request Timeout), 425 (Too Early) and 429 (Too Many Requests), which
// say "later". 3xx and 5xx answers are worth retrying.
func (e *StatusError) Permanent() bool {
	switch e.Code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return e.Code >= 400 && e.Code < 500
}
