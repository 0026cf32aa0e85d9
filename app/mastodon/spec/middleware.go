package spec

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"testing"
)

// maxBody caps what is kept of one response for validation; a Mastodon API
// page is far smaller, and a streaming response is never buffered.
const maxBody = 8 << 20

// Middleware wraps a handler for a test: every response to a request under
// /api/ is validated against the spec once the handler returns, a failure
// is reported with t.Errorf (method, path, status and each problem), and the
// operation is recorded as exercised (see Spec.Exercised). Requests the spec
// does not document are logged with t.Logf, not failed: Pukeko may serve
// more than Mastodon. The response still streams to the client as written;
// text/event-stream and hijacked (WebSocket) responses are not validated.
func Middleware(s *Spec, t testing.TB) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasPrefix(r.URL.Path, "/api/") {
				next.ServeHTTP(w, r)
				return
			}
			tw := &teeWriter{ResponseWriter: w}
			next.ServeHTTP(tw, r)
			if tw.hijacked {
				return
			}
			status := tw.status
			if status == 0 {
				status = http.StatusOK
			}
			s.observe(t, r, status, w.Header(), tw.body.Bytes(), tw.truncated)
		})
	}
}

// RoundTripper wraps a client transport (nil: http.DefaultTransport) with
// the same checks as Middleware, for tests that talk to a running server.
// A text/event-stream body is passed on unread.
func RoundTripper(s *Spec, t testing.TB, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		if err != nil || !strings.HasPrefix(r.URL.Path, "/api/") {
			return resp, err
		}
		if isEventStream(resp.Header) {
			s.observe(t, r, resp.StatusCode, resp.Header, nil, false) // recorded, not read
			return resp, nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		s.observe(t, r, resp.StatusCode, resp.Header, body, false)
		return resp, nil
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

// RoundTrip calls f.
func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// observe records one response and reports its problems to t.
func (s *Spec) observe(t testing.TB, r *http.Request, status int, header http.Header, body []byte, truncated bool) {
	t.Helper()
	op, err := s.find(r.Method, r.URL.Path)
	if errors.Is(err, ErrUnknownOperation) {
		s.recordUndocumented(r.Method + " " + r.URL.Path)
		t.Logf("spec: %s %s -> %d is not in the Mastodon API spec; not validated", r.Method, r.URL.Path, status)
		return
	}
	s.recordExercised(op)
	if r.Method == http.MethodHead || isEventStream(header) {
		return
	}
	if truncated {
		t.Errorf("spec: %s %s -> %d: body over %d bytes, not validated", r.Method, r.URL.Path, status, maxBody)
		return
	}
	if err := s.ValidateResponse(r.Method, r.URL.Path, r.URL.Query(), status, header, body); err != nil {
		t.Errorf("spec: %v", err)
	}
}

func isEventStream(h http.Header) bool {
	mt, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return mt == "text/event-stream"
}

// teeWriter passes a response through while keeping a copy of its body.
type teeWriter struct {
	http.ResponseWriter
	status    int
	body      bytes.Buffer
	truncated bool
	hijacked  bool
}

// WriteHeader keeps the final status code and passes it on.
func (w *teeWriter) WriteHeader(code int) {
	if w.status == 0 && code >= 200 { // 1xx responses are not the answer
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write passes p on and keeps a copy, unless the response is a stream.
func (w *teeWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !isEventStream(w.Header()) {
		if w.body.Len()+len(p) > maxBody {
			w.truncated = true
		} else {
			w.body.Write(p)
		}
	}
	return w.ResponseWriter.Write(p)
}

// Flush keeps streaming handlers working through the wrapper.
func (w *teeWriter) Flush() {
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack hands the connection over (WebSocket streaming); what follows is
// not HTTP and is not validated.
func (w *teeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.NewResponseController reach the original writer.
func (w *teeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
