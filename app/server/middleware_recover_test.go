package server

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func isPanicRecord(rec map[string]any) bool {
	return rec["level"] == "ERROR" && rec["msg"] == "panic in http handler"
}

func TestPanicBecomesGeneric500(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{}, slog.LevelDebug)
	s.HandleFunc("GET /boom", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Secret", "leak")
		panic("kaboom: secret detail")
	})
	srv := start(t, s)

	resp, err := newClient(t).Get(srv.url + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("status = %d, want 500", resp.StatusCode)
	}
	if got := strings.TrimSpace(string(body)); got != `{"error":"internal server error"}` {
		t.Errorf("body = %q", got)
	}
	if strings.Contains(string(body), "kaboom") {
		t.Errorf("panic text leaked to client: %q", body)
	}
	if resp.Header.Get("X-Secret") != "" {
		t.Error("headers set before the panic leaked into the 500 response")
	}

	rec := logs.waitRecord(t, isPanicRecord)
	if p, _ := rec["panic"].(string); !strings.Contains(p, "kaboom: secret detail") {
		t.Errorf("panic attr = %v", rec["panic"])
	}
	if st, _ := rec["stack"].(string); !strings.Contains(st, "goroutine") {
		t.Errorf("stack attr missing or empty: %v", rec["stack"])
	}
	// The request line is still logged, with the final status.
	logs.waitRecord(t, func(r map[string]any) bool {
		return r["msg"] == "http request" && r["path"] == "/boom" && r["status"] == float64(500)
	})
}

func TestPanicAfterHeadersAbortsResponse(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{}, slog.LevelDebug)
	s.HandleFunc("GET /late", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("late kaboom")
	})
	srv := start(t, s)

	resp, err := newClient(t).Get(srv.url + "/late")
	if err == nil {
		body, readErr := io.ReadAll(resp.Body)
		resp.Body.Close()
		if readErr == nil {
			t.Errorf("response completed normally (status %d, body %q); want it aborted", resp.StatusCode, body)
		}
		if strings.Contains(string(body), "internal server error") {
			t.Errorf("500 body appended to a committed response: %q", body)
		}
	}
	logs.waitRecord(t, isPanicRecord)
}

func TestErrAbortHandlerPassesThrough(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{}, slog.LevelDebug)
	s.HandleFunc("GET /abort", func(w http.ResponseWriter, r *http.Request) {
		panic(http.ErrAbortHandler)
	})
	s.HandleFunc("GET /after", func(w http.ResponseWriter, r *http.Request) {})
	srv := start(t, s)
	client := newClient(t)

	if resp, err := client.Get(srv.url + "/abort"); err == nil {
		resp.Body.Close()
		t.Errorf("got status %d, want the connection aborted", resp.StatusCode)
	}
	// Once /after is logged, /abort's handling is long finished.
	resp, err := client.Get(srv.url + "/after")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	logs.waitRecord(t, func(r map[string]any) bool { return r["path"] == "/after" })
	for _, rec := range logs.records(t) {
		if isPanicRecord(rec) {
			t.Errorf("http.ErrAbortHandler logged as a panic: %v", rec)
		}
	}
}
