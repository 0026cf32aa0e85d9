package httpsig

import (
	"crypto/tls"
	"net/http"
	"testing"
)

// TestComponentValue covers the derived components and the field value
// rules that the published vectors do not exercise.
func TestComponentValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		setup     func(r *http.Request)
		scheme    string // Options.Scheme
		component string
		want      string
	}{
		{name: "@method keeps case", component: "@method", want: "POST"},
		{name: "@path", component: "@path", want: "/a%20b/c"},
		{name: "@query", component: "@query", want: "?x=1&y=%2F"},
		{name: "@query when empty", setup: func(r *http.Request) { r.RequestURI = "/p" }, component: "@query", want: "?"},
		{name: "@request-target", component: "@request-target", want: "/a%20b/c?x=1&y=%2F"},
		{name: "@authority lower-cased, default port dropped", setup: func(r *http.Request) { r.Host = "Example.COM:80" }, component: "@authority", want: "example.com"},
		{name: "@authority keeps other ports", setup: func(r *http.Request) { r.Host = "example.com:8080" }, component: "@authority", want: "example.com:8080"},
		{name: "@authority IPv6 default port", setup: func(r *http.Request) { r.Host = "[::1]:80" }, component: "@authority", want: "[::1]"},
		{name: "@scheme without TLS", component: "@scheme", want: "http"},
		{name: "@scheme with TLS", setup: func(r *http.Request) { r.TLS = &tls.ConnectionState{} }, component: "@scheme", want: "https"},
		{name: "@scheme from options", scheme: "HTTPS", component: "@scheme", want: "https"},
		{name: "@target-uri behind a proxy", scheme: "https", setup: func(r *http.Request) { r.Host = "example.com:443" }, component: "@target-uri", want: "https://example.com/a%20b/c?x=1&y=%2F"},
		{name: "absolute-form target", setup: func(r *http.Request) { r.RequestURI = "http://example.com/p?q" }, component: "@request-target", want: "/p?q"},
		{name: "field lines combined and trimmed", setup: func(r *http.Request) { r.Header["X-A"] = []string{" one ", "two\t"} }, component: "x-a", want: "one, two"},
		{name: "empty field", setup: func(r *http.Request) { r.Header["X-Empty"] = []string{""} }, component: "x-empty", want: ""},
		{name: "host field", component: "host", want: "example.com"},
		{name: "content-length from the field", setup: func(r *http.Request) { r.Header.Set("Content-Length", "5") }, component: "content-length", want: "5"},
		{name: "content-length from ContentLength", setup: func(r *http.Request) { r.ContentLength = 7 }, component: "content-length", want: "7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &http.Request{Method: http.MethodPost, Host: "example.com", RequestURI: "/a%20b/c?x=1&y=%2F", Header: http.Header{}}
			if tt.setup != nil {
				tt.setup(r)
			}
			got, err := componentValue(r, tt.component, schemeOf(r, tt.scheme))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestComponentValueMissing checks that an absent covered field is an error.
func TestComponentValueMissing(t *testing.T) {
	t.Parallel()
	r := &http.Request{Method: http.MethodGet, RequestURI: "/", Header: http.Header{}}
	for _, c := range []string{"date", "host", "content-length"} {
		if _, err := componentValue(r, c, "https"); err == nil {
			t.Errorf("%s: no error for a missing field", c)
		}
	}
}
