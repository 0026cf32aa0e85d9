package server

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func checkProbeHeaders(t *testing.T, resp *http.Response) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", cc)
	}
}

func TestHealthzIgnoresReadiness(t *testing.T) {
	t.Parallel()
	var readyCalls atomic.Int32
	s, _ := newTestServer(t, Options{Ready: func(context.Context) error {
		readyCalls.Add(1)
		return errors.New("database unreachable")
	}}, slog.LevelDebug)
	srv := start(t, s)

	resp, err := newClient(t).Get(srv.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status = %d, want 200", resp.StatusCode)
	}
	checkProbeHeaders(t, resp)
	if got, want := decodeJSON(t, resp), map[string]string{"status": "ok"}; !maps.Equal(got, want) {
		t.Errorf("body = %v, want %v", got, want)
	}
	if n := readyCalls.Load(); n != 0 {
		t.Errorf("/healthz called Ready %d times", n)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	blocking := func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	}
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs after the parallel subtests
	ignoresCtx := func(context.Context) error {
		<-release
		return nil
	}
	tests := []struct {
		name       string
		ready      func(context.Context) error
		wantStatus int
		wantBody   map[string]string // exact, unless errContains is set
		errContain string
	}{
		{
			name:       "nil probe",
			wantStatus: http.StatusOK,
			wantBody:   map[string]string{"status": "ready"},
		},
		{
			name:       "ready",
			ready:      func(context.Context) error { return nil },
			wantStatus: http.StatusOK,
			wantBody:   map[string]string{"status": "ready"},
		},
		{
			name:       "not ready",
			ready:      func(context.Context) error { return errors.New("2 migrations pending") },
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   map[string]string{"status": "unavailable", "error": "2 migrations pending"},
		},
		{
			name:       "probe blocks past timeout",
			ready:      blocking,
			wantStatus: http.StatusServiceUnavailable,
			errContain: "timed out",
		},
		{
			name:       "probe ignores context",
			ready:      ignoresCtx,
			wantStatus: http.StatusServiceUnavailable,
			errContain: "timed out",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestServer(t, Options{Ready: tt.ready}, slog.LevelDebug)
			s.readyTimeout = 50 * time.Millisecond // keep the blocking case fast
			srv := start(t, s)

			resp, err := newClient(t).Get(srv.url + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			checkProbeHeaders(t, resp)
			got := decodeJSON(t, resp)
			if tt.errContain != "" {
				if got["status"] != "unavailable" || !strings.Contains(got["error"], tt.errContain) {
					t.Errorf("body = %v, want unavailable with error containing %q", got, tt.errContain)
				}
				return
			}
			if !maps.Equal(got, tt.wantBody) {
				t.Errorf("body = %v, want %v", got, tt.wantBody)
			}
		})
	}
}

func TestUnknownPathIs404(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{}, slog.LevelDebug)
	srv := start(t, s)
	resp, err := newClient(t).Get(srv.url + "/no/such/thing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status = %d, want 404", resp.StatusCode)
	}
}
