package server

import (
	"bufio"
	"net"
	"net/http"
)

// responseRecorder wraps an http.ResponseWriter to capture the status code
// and body size. It implements http.Flusher and http.Hijacker for handlers
// that type-assert, and Unwrap for http.ResponseController.
type responseRecorder struct {
	http.ResponseWriter
	status   int   // first final (non-1xx) status written; 0 if none yet
	bytes    int64 // body bytes written
	hijacked bool
}

// recorderFor returns w itself if it is already a *responseRecorder (so the
// logging and recovery middleware share one wrapper), or wraps it.
func recorderFor(w http.ResponseWriter) *responseRecorder {
	if rec, ok := w.(*responseRecorder); ok {
		return rec
	}
	return &responseRecorder{ResponseWriter: w}
}

// WriteHeader records the first final status. 1xx informational headers
// (e.g. 103 Early Hints) are passed through without being recorded, except
// 101 Switching Protocols, which is final.
func (r *responseRecorder) WriteHeader(code int) {
	if r.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 and counts body bytes.
func (r *responseRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Flush implements http.Flusher; flushing commits an implicit 200.
func (r *responseRecorder) Flush() {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

// Hijack implements http.Hijacker. It returns http.ErrNotSupported when the
// underlying writer cannot hijack (e.g. HTTP/2).
func (r *responseRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil {
		r.hijacked = true
	}
	return conn, rw, err
}

// Unwrap returns the wrapped writer, for http.ResponseController.
func (r *responseRecorder) Unwrap() http.ResponseWriter {
	return r.ResponseWriter
}

// committed reports whether the response can no longer be replaced:
// headers were sent or the connection was hijacked.
func (r *responseRecorder) committed() bool {
	return r.status != 0 || r.hijacked
}
