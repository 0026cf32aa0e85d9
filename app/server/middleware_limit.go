package server

import "net/http"

// limitBody caps every request body at limit bytes with http.MaxBytesReader;
// reads past the limit fail with *http.MaxBytesError. A request whose
// declared Content-Length already exceeds the limit is answered 413 without
// calling the handler.
func limitBody(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			// Don't keep the connection to drain a body we refused.
			w.Header().Set("Connection", "close")
			writeJSON(w, http.StatusRequestEntityTooLarge,
				map[string]string{"error": "request body too large"})
			return
		}
		if r.Body != nil {
			// MaxBytesReader tells net/http to close the connection after an
			// overflow only if given net/http's own writer (via an unexported
			// method), so pass the innermost writer rather than our wrappers.
			r.Body = http.MaxBytesReader(innermost(w), r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// innermost follows Unwrap() chains down to the original ResponseWriter.
func innermost(w http.ResponseWriter) http.ResponseWriter {
	for {
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			return w
		}
		w = u.Unwrap()
	}
}
