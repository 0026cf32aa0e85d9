package storage

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestS3PathStyleHTTPConformance(t *testing.T) {
	f := startFakeS3(t, false)
	testConformance(t, newTestS3(t, f, "media", false))
	paths, hosts := addressing(f, "media")
	if paths == 0 || hosts != 0 {
		t.Fatalf("path-style backend sent %d path-style and %d host-style requests", paths, hosts)
	}
}

func TestS3HostStyleHTTPSConformance(t *testing.T) {
	f := startFakeS3(t, true)
	testConformance(t, newTestS3(t, f, "media", true))
	paths, hosts := addressing(f, "media")
	if hosts == 0 || paths != 0 {
		t.Fatalf("host-style backend sent %d path-style and %d host-style requests", paths, hosts)
	}
}

func TestS3EnsureBucket(t *testing.T) {
	f := startFakeS3(t, false)
	s, err := newS3(S3Config{
		Endpoint: "http://" + f.addr, Bucket: "fresh", PathStyle: true,
		AccessKey: "k", SecretKey: "s",
	}, f.transport())
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	key := KeyOf("a", []byte("x"), ".png")
	if err := s.Put(ctx, key, strings.NewReader("x"), 1, ""); err == nil {
		t.Fatal("Put before EnsureBucket succeeded; the bucket should not exist yet")
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		t.Fatalf("EnsureBucket on an existing bucket: %v", err)
	}
	if err := s.Put(ctx, key, strings.NewReader("x"), 1, ""); err != nil {
		t.Fatalf("Put after EnsureBucket: %v", err)
	}
	created := 0
	for _, r := range f.requests() {
		if r.Method == http.MethodPut && strings.TrimSuffix(r.Path, "/") == "/fresh" {
			created++
		}
	}
	if created != 1 {
		t.Fatalf("bucket created %d times, want once", created)
	}
}

// TestS3PutHeaders checks what Put sends: gofakes3 keeps Content-Type but
// not Cache-Control, so the request itself is inspected.
func TestS3PutHeaders(t *testing.T) {
	f := startFakeS3(t, false)
	s := newTestS3(t, f, "media", false)
	data := []byte("GIF89a...")
	key := KeyOf("emoji", data, ".gif")
	if err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), "image/gif"); err != nil {
		t.Fatal(err)
	}
	var put *recordedRequest
	for _, r := range f.requests() {
		if r.Method == http.MethodPut && r.Path == "/media/"+key {
			put = &r
		}
	}
	if put == nil {
		t.Fatalf("no PUT of /media/%s seen", key)
	}
	if got := put.Header.Get("Cache-Control"); got != CacheControl {
		t.Errorf("Cache-Control = %q, want %q", got, CacheControl)
	}
	if got := put.Header.Get("Content-Type"); got != "image/gif" {
		t.Errorf("Content-Type = %q, want image/gif", got)
	}
	if !strings.HasPrefix(put.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=test-access/") {
		t.Errorf("request not signed with the access key: %q", put.Header.Get("Authorization"))
	}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestS3UnreachableEndpoint(t *testing.T) {
	addr := closedPort(t)
	// The production transport and retries; a loopback address is never
	// sent through a proxy.
	s, err := NewS3(S3Config{Endpoint: addr, Bucket: "media", Insecure: true, PathStyle: true, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	key := KeyOf("attachments", []byte("x"), ".png")

	start := time.Now()
	err = s.EnsureBucket(ctx)
	if err == nil {
		t.Fatal("EnsureBucket against a closed port succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("EnsureBucket took %v to fail, want well under 5s", d)
	}
	for _, want := range []string{"http://" + addr, "bucket media", "connection refused"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("EnsureBucket error %q does not mention %q", err, want)
		}
	}

	_, err = s.Open(ctx, key)
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Open against a closed port: %v; want a failure other than ErrNotFound", err)
	}
	for _, want := range []string{"http://" + addr, "bucket media", key} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open error %q does not mention %q", err, want)
		}
	}
	if err := s.Put(ctx, key, strings.NewReader("x"), 1, ""); err == nil || !strings.Contains(err.Error(), key) {
		t.Errorf("Put against a closed port: %v; want an error naming the key", err)
	}
}

func TestS3URL(t *testing.T) {
	key := KeyOf("attachments", []byte("x"), ".png")
	for _, tt := range []struct{ base, want string }{
		{"", ""},
		{"https://cdn.example/media", "https://cdn.example/media/" + key},
		{"https://cdn.example/media/", "https://cdn.example/media/" + key},
	} {
		s, err := NewS3(S3Config{Endpoint: "s3.example:443", Bucket: "b", PublicBaseURL: tt.base})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.URL(key); got != tt.want {
			t.Errorf("base %q: URL = %q, want %q", tt.base, got, tt.want)
		}
	}
}

func TestParseEndpoint(t *testing.T) {
	for _, tt := range []struct {
		endpoint string
		insecure bool
		host     string
		secure   bool
		ok       bool
	}{
		{"s3.example:9000", false, "s3.example:9000", true, true},
		{"s3.example:9000", true, "s3.example:9000", false, true},
		{"http://127.0.0.1:9000", false, "127.0.0.1:9000", false, true},
		{"https://s3.example", false, "s3.example", true, true},
		{"https://s3.example/", false, "s3.example", true, true},
		{"https://s3.example", true, "", false, false},
		{"https://s3.example/bucket", false, "", false, false},
		{"ftp://s3.example", false, "", false, false},
		{"s3.example/path", false, "", false, false},
		{"http://", false, "", false, false},
		{"", false, "", false, false},
	} {
		host, secure, err := parseEndpoint(tt.endpoint, tt.insecure)
		if (err == nil) != tt.ok || host != tt.host || secure != tt.secure {
			t.Errorf("parseEndpoint(%q, %v) = %q, %v, %v; want %q, %v, ok=%v",
				tt.endpoint, tt.insecure, host, secure, err, tt.host, tt.secure, tt.ok)
		}
	}
	if _, err := NewS3(S3Config{Endpoint: "s3.example"}); err == nil {
		t.Error("NewS3 without a bucket succeeded")
	}
}

// TestS3HandlerFetchesOnlyWhatItServes checks that serving from S3 does not
// download more than the response needs: HEAD and 304 only stat the
// object, and a Range request asks S3 for a range.
func TestS3HandlerFetchesOnlyWhatItServes(t *testing.T) {
	f := startFakeS3(t, false)
	s := newTestS3(t, f, "media", false)
	data := testData(1000, 4)
	key := KeyOf("attachments", data, ".jpg")
	if err := s.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), ""); err != nil {
		t.Fatal(err)
	}
	h := Handler(s, "/media/", nil)
	objectPath := "/media/" + key
	gets := func(do func()) (n int, ranges []string) {
		before := len(f.requests())
		do()
		for _, r := range f.requests()[before:] {
			if r.Method == http.MethodGet && r.Path == objectPath {
				n++
				ranges = append(ranges, r.Header.Get("Range"))
			}
		}
		return n, ranges
	}

	if n, _ := gets(func() { serve(h, "HEAD", "/media/"+key, nil) }); n != 0 {
		t.Errorf("HEAD made %d GETs of the object, want 0", n)
	}
	etag := `"` + key[len("attachments/ab/cd/"):] + `"`
	if n, _ := gets(func() {
		if w := serve(h, "GET", "/media/"+key, map[string]string{"If-None-Match": etag}); w.Code != http.StatusNotModified {
			t.Errorf("If-None-Match: status %d, want 304", w.Code)
		}
	}); n != 0 {
		t.Errorf("304 made %d GETs of the object, want 0", n)
	}
	n, ranges := gets(func() {
		w := serve(h, "GET", "/media/"+key, map[string]string{"Range": "bytes=500-509"})
		if !bytes.Equal(w.Body.Bytes(), data[500:510]) {
			t.Errorf("range body %v, want %v", w.Body.Bytes(), data[500:510])
		}
	})
	if n != 1 || !strings.HasPrefix(ranges[0], "bytes=500-") {
		t.Errorf("Range request made GETs with ranges %q, want one from byte 500", ranges)
	}
}
