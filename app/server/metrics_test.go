package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"pukeko/app/metrics"
)

// scrape fetches /metrics through s's full handler as a direct loopback
// client; it needs a server without a metrics token.
func scrape(t *testing.T, s *Server) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d, body %q", w.Code, w.Body.String())
	}
	return w.Body.String()
}

// wantLines fails unless every line appears in the exposition text.
func wantLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("metrics lack line %q:\n%s", l, grepPukeko(text))
		}
	}
}

// grepPukeko keeps the pukeko_* lines of an exposition, for error messages.
func grepPukeko(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "pukeko_") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func TestMetricsExposedOverLoopback(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{Metrics: metrics.New()}, slog.LevelDebug)
	srv := start(t, s)
	client := newClient(t)

	get := func(path string) *http.Response {
		t.Helper()
		resp, err := client.Get(srv.url + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for range 3 {
		get("/healthz").Body.Close()
	}
	get("/no/such/thing").Body.Close()

	// A real loopback connection carries no proxy header: allowed without a token.
	resp := get("/metrics")
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d, body %q", resp.StatusCode, body)
	}
	text := "\n" + string(body)
	wantLines(t, text,
		`pukeko_http_requests_total{code="200",method="GET",route="GET /healthz"} 3`,
		`pukeko_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`pukeko_http_request_duration_seconds_count{method="GET",route="GET /healthz"} 3`,
		`pukeko_http_request_duration_seconds_bucket{method="GET",route="GET /healthz",le="+Inf"} 3`,
	)
	if strings.Contains(text, "/no/such/thing") {
		t.Error("raw path of an unmatched request used as a label")
	}
	families := []string{"go_goroutines ", "go_memstats_alloc_bytes "}
	if runtime.GOOS == "linux" {
		families = append(families, "process_cpu_seconds_total ", "process_start_time_seconds ")
	}
	for _, f := range families {
		if !strings.Contains(text, "\n"+f) {
			t.Errorf("metrics lack %s", f)
		}
	}
}

func TestMetricsLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		method  string
		target  string
		body    string
		wantNot string // must not appear in the exposition (raw paths)
		want    []string
	}{
		{
			name: "path wildcard keeps the pattern", method: "GET", target: "/users/alice",
			wantNot: "alice",
			want: []string{
				`pukeko_http_requests_total{code="200",method="GET",route="GET /users/{name}"} 1`,
				`pukeko_http_request_duration_seconds_count{method="GET",route="GET /users/{name}"} 1`,
			},
		},
		{
			name: "unknown path", method: "GET", target: "/nowhere/secret-slug",
			wantNot: "secret-slug",
			want:    []string{`pukeko_http_requests_total{code="404",method="GET",route="unmatched"} 1`},
		},
		{
			name: "wrong method", method: "POST", target: "/healthz",
			want: []string{`pukeko_http_requests_total{code="405",method="POST",route="unmatched"} 1`},
		},
		{
			name: "unknown method token", method: "BREW", target: "/healthz",
			wantNot: "BREW",
			want:    []string{`pukeko_http_requests_total{code="405",method="other",route="unmatched"} 1`},
		},
		{
			// The mux answers itself; r.Pattern would say "/items/{id}/".
			name: "trailing-slash redirect", method: "GET", target: "/items/some-name",
			wantNot: "some-name",
			want:    []string{`pukeko_http_requests_total{code="307",method="GET",route="unmatched"} 1`},
		},
		{
			// r.Pattern would be the raw target path "/items/some-name/".
			name: "CONNECT redirect", method: "CONNECT", target: "/items/some-name",
			wantNot: "some-name",
			want:    []string{`pukeko_http_requests_total{code="307",method="CONNECT",route="unmatched"} 1`},
		},
		{
			name: "method-less pattern", method: "PUT", target: "/items/42/",
			want: []string{`pukeko_http_requests_total{code="200",method="PUT",route="/items/{id}/"} 1`},
		},
		{
			name: "panic counted with recovery's 500", method: "GET", target: "/boom",
			want: []string{`pukeko_http_requests_total{code="500",method="GET",route="GET /boom"} 1`},
		},
		{
			name: "aborted handler", method: "GET", target: "/abort",
			want: []string{`pukeko_http_requests_total{code="aborted",method="GET",route="GET /abort"} 1`},
		},
		{
			name: "handler writing nothing", method: "GET", target: "/silent",
			want: []string{`pukeko_http_requests_total{code="200",method="GET",route="GET /silent"} 1`},
		},
		{
			name: "body limit's 413 before routing", method: "POST", target: "/upload",
			body: strings.Repeat("x", testLimit+1),
			want: []string{`pukeko_http_requests_total{code="413",method="POST",route="unmatched"} 1`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestServer(t, Options{Metrics: metrics.New(), MaxBodyBytes: testLimit}, slog.LevelDebug)
			s.HandleFunc("GET /users/{name}", func(w http.ResponseWriter, r *http.Request) {})
			s.HandleFunc("/items/{id}/", func(w http.ResponseWriter, r *http.Request) {})
			s.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
			s.HandleFunc("GET /abort", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
			s.HandleFunc("GET /silent", func(w http.ResponseWriter, r *http.Request) {})
			s.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {})

			req := httptest.NewRequest(tt.method, tt.target, bytes.NewBufferString(tt.body))
			func() {
				// net/http would recover http.ErrAbortHandler; do the same.
				defer func() {
					if v := recover(); v != nil && v != http.ErrAbortHandler {
						panic(v)
					}
				}()
				s.Handler().ServeHTTP(httptest.NewRecorder(), req)
			}()

			text := "\n" + scrape(t, s)
			wantLines(t, text, tt.want...)
			if tt.wantNot != "" && strings.Contains(text, tt.wantNot) {
				t.Errorf("metrics contain %q:\n%s", tt.wantNot, grepPukeko(text))
			}
		})
	}
}

func TestNoMetricsWithoutRegistry(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{}, slog.LevelDebug)
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "127.0.0.1:40000"
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	if w.Code != http.StatusNotFound {
		t.Errorf("GET /metrics without a registry: status %d, want 404", w.Code)
	}
	if s.metrics != nil {
		t.Error("request metrics set up without a registry")
	}
}

func TestServersShareOneRegistry(t *testing.T) {
	t.Parallel()
	reg := metrics.New()
	a, _ := newTestServer(t, Options{Metrics: reg}, slog.LevelDebug)
	b, _ := newTestServer(t, Options{Metrics: reg}, slog.LevelDebug) // must not panic
	for _, s := range []*Server{a, b} {
		req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
		s.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	wantLines(t, "\n"+scrape(t, a),
		`pukeko_http_requests_total{code="200",method="GET",route="GET /healthz"} 2`)
}
