package certs

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRedirect(t *testing.T) {
	t.Parallel()
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	for _, tc := range []struct {
		host, target string
		next         http.Handler
		code         int
		location     string
	}{
		{"a.test", "/", nil, 301, "https://a.test/"},
		{"a.test:80", "/p/q?x=1&y=%2F", nil, 301, "https://a.test/p/q?x=1&y=%2F"},
		{"[::1]:8080", "/x", nil, 301, "https://[::1]/x"},
		{"127.0.0.1", "/x?", nil, 301, "https://127.0.0.1/x?"},
		{"", "/x", nil, 400, ""},
		{"", "/x", next, http.StatusTeapot, ""},
		{"evil.test/path", "/x", nil, 400, ""},
	} {
		req := httptest.NewRequest(http.MethodGet, "http://placeholder"+tc.target, nil)
		req.Host = tc.host
		rec := httptest.NewRecorder()
		redirectHandler(tc.next).ServeHTTP(rec, req)
		if rec.Code != tc.code || rec.Header().Get("Location") != tc.location {
			t.Errorf("Host %q %s: %d %q, want %d %q", tc.host, tc.target, rec.Code, rec.Header().Get("Location"), tc.code, tc.location)
		}
	}
}
