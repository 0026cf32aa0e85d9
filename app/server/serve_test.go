package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestGracefulShutdownDrainsInFlight(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{ShutdownTimeout: 5 * time.Second}, slog.LevelDebug)
	started := make(chan struct{})
	s.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	srv := start(t, s)

	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	client := newClient(t)
	go func() {
		resp, err := client.Get(srv.url + "/slow")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b), err}
	}()

	<-started
	srv.cancel()

	r := <-res
	if r.err != nil || r.status != http.StatusOK || r.body != "done" {
		t.Errorf("in-flight request: status %d body %q err %v; want 200 \"done\"", r.status, r.body, r.err)
	}
	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after shutdown")
	}
	srv.done <- nil // let the cleanup's wait succeed

	if conn, err := net.DialTimeout("tcp", srv.addr, time.Second); err == nil {
		conn.Close()
		t.Error("new connection accepted after shutdown")
	}
}

func TestShutdownTimeoutForcesClose(t *testing.T) {
	t.Parallel()
	s, logs := newTestServer(t, Options{ShutdownTimeout: 200 * time.Millisecond}, slog.LevelDebug)
	started := make(chan struct{})
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s.HandleFunc("GET /stuck", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		select {
		case <-time.After(5 * time.Second):
		case <-release: // don't leave the goroutine behind after the test
		}
	})
	srv := start(t, s)

	client := newClient(t)
	clientErr := make(chan error, 1)
	go func() {
		resp, err := client.Get(srv.url + "/stuck")
		if err == nil {
			resp.Body.Close()
		}
		clientErr <- err
	}()
	<-started
	srv.cancel()

	select {
	case err := <-srv.done:
		if err != nil {
			t.Errorf("Serve returned %v, want nil", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return after the shutdown timeout")
	}
	srv.done <- nil
	// The stuck request's connection is closed rather than left to the handler.
	select {
	case err := <-clientErr:
		if err == nil {
			t.Error("stuck request succeeded; want its connection closed")
		}
	case <-time.After(3 * time.Second):
		t.Error("stuck request's connection was not closed")
	}
	logs.waitRecord(t, func(r map[string]any) bool {
		return r["level"] == "WARN" && r["waited_seconds"] == 0.2
	})
}

func TestServeReturnsListenerError(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{}, slog.LevelDebug)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close() // Accept will fail at once

	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), ln) }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Serve returned nil for a failed listener")
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Serve did not return for a failed listener")
	}
}
