package federation

import (
	"bytes"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// jsonOfSize is a JSON object of exactly n bytes.
func jsonOfSize(n int) []byte {
	const open, end = `{"pad":"`, `"}`
	return []byte(open + strings.Repeat("x", n-len(open)-len(end)) + end)
}

func TestMaxResponseSize(t *testing.T) {
	t.Parallel()
	const limit = DefaultMaxResponseSize
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		body := jsonOfSize(n)
		w.Header().Set("Content-Type", "application/activity+json")
		if r.URL.Query().Has("length") {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		}
		// Written in pieces with flushes, so that without a declared
		// length the body arrives chunked and only reading can tell.
		for chunk := range slices.Chunk(body, 64<<10) {
			_, _ = w.Write(chunk)
			w.(http.Flusher).Flush()
		}
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true}) // default limit: 4 MiB

	for _, length := range []string{"&length", ""} {
		_, _, err := c.GetActivity(t.Context(), srv.URL+"/?n="+strconv.Itoa(5<<20)+length, nil)
		if !errors.Is(err, ErrResponseTooLarge) {
			t.Errorf("5 MiB body (length %q): err = %v, want ErrResponseTooLarge", length, err)
		}
		obj, _, err := c.GetActivity(t.Context(), srv.URL+"/?n="+strconv.Itoa(limit)+length, nil)
		if err != nil || len(obj.String("pad")) != limit-10 {
			t.Errorf("body of exactly the limit (length %q): err = %v", length, err)
		}
	}

	small := newTestClient(t, ClientOptions{AllowPrivate: true, MaxResponseSize: 100})
	if _, _, err := small.GetActivity(t.Context(), srv.URL+"/?n=101", nil); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("101 bytes with a limit of 100: err = %v, want ErrResponseTooLarge", err)
	}
}

func TestReadLimited(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size, declared, limit int64
		tooLarge              bool
	}{
		{10, -1, 10, false},
		{11, -1, 10, true},
		{0, -1, 10, false},
		{5, 11, 10, true}, // a declared length over the limit fails unread
		{10, 10, 10, false},
	} {
		body, err := readLimited(bytes.NewReader(make([]byte, tc.size)), tc.declared, tc.limit)
		if errors.Is(err, ErrResponseTooLarge) != tc.tooLarge {
			t.Errorf("%+v: err = %v", tc, err)
		}
		if err == nil && int64(len(body)) != tc.size {
			t.Errorf("%+v: read %d bytes", tc, len(body))
		}
	}
}
