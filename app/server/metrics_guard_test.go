package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"pukeko/app/metrics"
)

func TestMetricsGuard(t *testing.T) {
	t.Parallel()
	const token = "s3cret-Scrape_token"
	const loopback = "127.0.0.1:40000"
	const remote = "203.0.113.5:1234" // TEST-NET-3; never dialled, only set on the request
	tests := []struct {
		name       string
		token      string // server's MetricsToken
		remoteAddr string
		headers    map[string]string
		wantStatus int
	}{
		{"token: none sent", token, remote, nil, http.StatusUnauthorized},
		{"token: none sent from loopback", token, loopback, nil, http.StatusUnauthorized},
		{"token: wrong", token, remote, map[string]string{"Authorization": "Bearer wrong"}, http.StatusUnauthorized},
		{"token: prefix only", token, remote, map[string]string{"Authorization": "Bearer " + token[:5]}, http.StatusUnauthorized},
		{"token: longer", token, remote, map[string]string{"Authorization": "Bearer " + token + "x"}, http.StatusUnauthorized},
		{"token: empty bearer", token, remote, map[string]string{"Authorization": "Bearer "}, http.StatusUnauthorized},
		{"token: basic scheme", token, remote, map[string]string{"Authorization": "Basic " + token}, http.StatusUnauthorized},
		{"token: bare token", token, remote, map[string]string{"Authorization": token}, http.StatusUnauthorized},
		{"token: right", token, remote, map[string]string{"Authorization": "Bearer " + token}, http.StatusOK},
		{"token: scheme case-insensitive", token, remote, map[string]string{"Authorization": "bearer " + token}, http.StatusOK},
		{"token: right via proxy", token, remote, map[string]string{"Authorization": "Bearer " + token, "X-Forwarded-For": "198.51.100.7"}, http.StatusOK},
		{"no token: loopback", "", loopback, nil, http.StatusOK},
		{"no token: other 127/8 address", "", "127.8.9.10:40000", nil, http.StatusOK},
		{"no token: ipv6 loopback", "", "[::1]:40000", nil, http.StatusOK},
		{"no token: ipv4-mapped loopback", "", "[::ffff:127.0.0.1]:40000", nil, http.StatusOK},
		{"no token: X-Forwarded-For", "", loopback, map[string]string{"X-Forwarded-For": "198.51.100.7"}, http.StatusForbidden},
		{"no token: empty X-Forwarded-For", "", loopback, map[string]string{"X-Forwarded-For": ""}, http.StatusForbidden},
		{"no token: X-Real-IP", "", loopback, map[string]string{"X-Real-IP": "198.51.100.7"}, http.StatusForbidden},
		{"no token: Forwarded", "", loopback, map[string]string{"Forwarded": "for=198.51.100.7"}, http.StatusForbidden},
		{"no token: non-loopback", "", remote, nil, http.StatusForbidden},
		{"no token: non-loopback with a bearer", "", remote, map[string]string{"Authorization": "Bearer x"}, http.StatusForbidden},
		{"no token: unspecified address", "", "0.0.0.0:40000", nil, http.StatusForbidden},
		{"no token: unparsable address", "", "@", nil, http.StatusForbidden},
		{"no token: host name", "", "localhost:40000", nil, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestServer(t, Options{Metrics: metrics.New(), MetricsToken: tt.token}, slog.LevelDebug)
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.RemoteAddr = tt.remoteAddr
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.Handler().ServeHTTP(w, req)

			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %q", w.Code, tt.wantStatus, w.Body.String())
			}
			body := w.Body.String()
			challenge := w.Header().Get("WWW-Authenticate")
			switch tt.wantStatus {
			case http.StatusOK:
				if !strings.Contains(body, "\ngo_goroutines ") {
					t.Errorf("body lacks go_goroutines:\n%s", body)
				}
			case http.StatusUnauthorized:
				if challenge != "Bearer" {
					t.Errorf("WWW-Authenticate = %q, want Bearer", challenge)
				}
			}
			if tt.wantStatus != http.StatusOK && strings.Contains(body, "go_goroutines") {
				t.Errorf("refused request got metrics: %q", body)
			}
			if tt.wantStatus != http.StatusUnauthorized && challenge != "" {
				t.Errorf("WWW-Authenticate %q sent with status %d", challenge, w.Code)
			}
		})
	}
}
