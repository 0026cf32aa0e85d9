package server

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"pukeko/app/metrics"
)

func TestRequestLogLine(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{}, slog.LevelDebug)
	s.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "hello")
	})
	srv := start(t, s)

	req, _ := http.NewRequest(http.MethodGet, srv.url+"/items/42?token=s3cret", nil)
	req.Header.Set("User-Agent", "pukeko-test/1")
	resp, err := newClient(t).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	rec := logs.waitRecord(t, func(r map[string]any) bool {
		return r["msg"] == "http request" && strings.HasPrefix(r["path"].(string), "/items/")
	})
	checks := map[string]any{
		"level":      "INFO",
		"method":     "GET",
		"path":       "/items/42",
		"status":     float64(201),
		"bytes":      float64(5),
		"user_agent": "pukeko-test/1",
	}
	for k, want := range checks {
		if rec[k] != want {
			t.Errorf("log %s = %v, want %v", k, rec[k], want)
		}
	}
	if ra, _ := rec["remote_addr"].(string); !strings.HasPrefix(ra, "127.0.0.1:") {
		t.Errorf("remote_addr = %v", rec["remote_addr"])
	}
	if _, ok := rec["duration"]; !ok {
		t.Error("duration missing")
	}
	if strings.Contains(logs.String(), "s3cret") {
		t.Errorf("query string leaked into logs:\n%s", logs.String())
	}
}

func TestProbesLogAtDebug(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{Metrics: metrics.New()}, slog.LevelInfo)
	s.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {})
	srv := start(t, s)
	client := newClient(t)

	// /page last: once it is logged, the earlier requests have been too.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/page"} {
		resp, err := client.Get(srv.url + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	logs.waitRecord(t, func(r map[string]any) bool { return r["path"] == "/page" })
	for _, rec := range logs.records(t) {
		if rec["path"] == "/healthz" || rec["path"] == "/readyz" || rec["path"] == "/metrics" {
			t.Errorf("probe logged above Debug: %v", rec)
		}
	}
}

func TestFlusherAndHijackerPreserved(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{}, slog.LevelDebug)
	s.HandleFunc("GET /flush", func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			http.Error(w, "no flusher", http.StatusTeapot)
			return
		}
		io.WriteString(w, "a")
		f.Flush()
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("ResponseController.Flush: %v", err)
		}
	})
	s.HandleFunc("GET /hijack", func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			http.Error(w, "no hijacker", http.StatusTeapot)
			return
		}
		conn, buf, err := hj.Hijack()
		if err != nil {
			t.Errorf("Hijack: %v", err)
			return
		}
		defer conn.Close()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\nhijacked")
		buf.Flush()
	})
	srv := start(t, s)
	client := newClient(t)

	for path, want := range map[string]string{"/flush": "a", "/hijack": "hijacked"} {
		resp, err := client.Get(srv.url + path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("%s: status %d body %q; want 200 %q", path, resp.StatusCode, body, want)
		}
	}
	logs.waitRecord(t, func(r map[string]any) bool {
		return r["path"] == "/hijack" && r["hijacked"] == true
	})
}
