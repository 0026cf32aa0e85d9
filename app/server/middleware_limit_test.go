package server

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

const testLimit = 1024

func TestBodyLimitRejectsLargeContentLength(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{MaxBodyBytes: testLimit}, slog.LevelDebug)
	var called atomic.Bool
	s.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		called.Store(true)
	})
	srv := start(t, s)

	body := bytes.Repeat([]byte("x"), testLimit+1)
	resp, err := newClient(t).Post(srv.url+"/upload", "application/octet-stream", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", resp.StatusCode)
	}
	if got := decodeJSON(t, resp); got["error"] != "request body too large" {
		t.Errorf("body = %v", got)
	}
	if called.Load() {
		t.Error("handler was called for an oversized Content-Length")
	}
}

func TestBodyLimitChunked(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{MaxBodyBytes: testLimit}, slog.LevelDebug)
	readErr := make(chan error, 1)
	s.HandleFunc("POST /upload", func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		readErr <- err
		if err != nil {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		}
	})
	srv := start(t, s)

	// A plain io.Reader of unknown length makes the client send chunked.
	body := io.MultiReader(strings.NewReader(strings.Repeat("x", 4*testLimit)))
	req, err := http.NewRequest(http.MethodPost, srv.url+"/upload", body)
	if err != nil {
		t.Fatal(err)
	}
	if req.ContentLength != 0 && req.ContentLength != -1 {
		t.Fatalf("request has ContentLength %d; want unknown (chunked)", req.ContentLength)
	}
	resp, err := newClient(t).Do(req)
	if err == nil { // the server may close early; only the handler's view matters
		resp.Body.Close()
	}

	err = <-readErr
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatalf("handler read error = %v, want *http.MaxBytesError", err)
	}
	if mbe.Limit != testLimit {
		t.Errorf("MaxBytesError.Limit = %d, want %d", mbe.Limit, testLimit)
	}
}

func TestBodyWithinLimitIsDelivered(t *testing.T) {
	t.Parallel()
	s, _ := newTestServer(t, Options{MaxBodyBytes: testLimit}, slog.LevelDebug)
	s.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body)
	})
	srv := start(t, s)

	want := strings.Repeat("y", testLimit)
	resp, err := newClient(t).Post(srv.url+"/echo", "text/plain", strings.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || string(got) != want {
		t.Errorf("status %d, %d bytes echoed; want 200 and %d bytes", resp.StatusCode, len(got), len(want))
	}
}
