package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// handlerBackends returns each backend kind, empty and ready.
func handlerBackends(t *testing.T) map[string]Backend {
	return map[string]Backend{
		"local": &Local{Root: filepath.Join(t.TempDir(), "media")},
		"s3":    newTestS3(t, startFakeS3(t, false), "media", false),
	}
}

// serve runs one request through h and returns the recorded response.
func serve(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandler(t *testing.T) {
	for name, b := range handlerBackends(t) {
		t.Run(name, func(t *testing.T) {
			testHandler(t, b)
		})
	}
}

func testHandler(t *testing.T, b Backend) {
	ctx := t.Context()
	data := testData(100, 9)
	key := KeyOf("attachments", data, ".png")
	if err := b.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "image/png"); err != nil {
		t.Fatal(err)
	}
	doc := []byte("%PDF-1.4 not really")
	docKey := KeyOf("attachments", doc, ".bin")
	if err := b.Put(ctx, docKey, bytes.NewReader(doc), int64(len(doc)), ""); err != nil {
		t.Fatal(err)
	}
	h := Handler(b, "/media/", slog.New(slog.DiscardHandler))
	url := "/media/" + key
	etag := `"` + path.Base(key) + `"`

	t.Run("GET", func(t *testing.T) {
		w := serve(h, "GET", url, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		if !bytes.Equal(w.Body.Bytes(), data) {
			t.Fatalf("body %d bytes, want the %d stored", w.Body.Len(), len(data))
		}
		for k, want := range map[string]string{
			"Content-Type":            "image/png",
			"Content-Length":          "100",
			"ETag":                    etag,
			"Cache-Control":           "public, max-age=31536000, immutable",
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox",
			"Content-Disposition":     "inline",
			"Accept-Ranges":           "bytes",
		} {
			if got := w.Header().Get(k); got != want {
				t.Errorf("%s = %q, want %q", k, got, want)
			}
		}
		lm, err := http.ParseTime(w.Header().Get("Last-Modified"))
		if err != nil || time.Since(lm) > time.Minute || time.Since(lm) < -time.Minute {
			t.Errorf("Last-Modified %q (%v), want about now", w.Header().Get("Last-Modified"), err)
		}
	})

	t.Run("HEAD", func(t *testing.T) {
		w := serve(h, "HEAD", url, nil)
		if w.Code != http.StatusOK || w.Body.Len() != 0 {
			t.Fatalf("status %d, %d body bytes; want 200 and none", w.Code, w.Body.Len())
		}
		if w.Header().Get("Content-Length") != "100" || w.Header().Get("ETag") != etag ||
			w.Header().Get("Content-Type") != "image/png" {
			t.Errorf("headers %v", w.Header())
		}
	})

	t.Run("If-None-Match", func(t *testing.T) {
		w := serve(h, "GET", url, map[string]string{"If-None-Match": etag})
		if w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Fatalf("matching ETag: status %d, %d body bytes; want 304 and none", w.Code, w.Body.Len())
		}
		if w.Header().Get("ETag") != etag {
			t.Errorf("304 ETag = %q, want %q", w.Header().Get("ETag"), etag)
		}
		w = serve(h, "GET", url, map[string]string{"If-None-Match": `"something-else"`})
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), data) {
			t.Fatalf("other ETag: status %d, want 200 with the body", w.Code)
		}
	})

	t.Run("Range", func(t *testing.T) {
		for _, tt := range []struct {
			rng, contentRange string
			want              []byte
		}{
			{"bytes=10-19", "bytes 10-19/100", data[10:20]},
			{"bytes=-5", "bytes 95-99/100", data[95:]},
			{"bytes=90-", "bytes 90-99/100", data[90:]},
			{"bytes=98-200", "bytes 98-99/100", data[98:]},
		} {
			w := serve(h, "GET", url, map[string]string{"Range": tt.rng})
			if w.Code != http.StatusPartialContent {
				t.Errorf("%s: status %d, want 206", tt.rng, w.Code)
				continue
			}
			if got := w.Header().Get("Content-Range"); got != tt.contentRange {
				t.Errorf("%s: Content-Range %q, want %q", tt.rng, got, tt.contentRange)
			}
			if !bytes.Equal(w.Body.Bytes(), tt.want) {
				t.Errorf("%s: body %v, want %v", tt.rng, w.Body.Bytes(), tt.want)
			}
		}
	})

	t.Run("multiple ranges", func(t *testing.T) {
		w := serve(h, "GET", url, map[string]string{"Range": "bytes=0-1,50-52"})
		if w.Code != http.StatusPartialContent {
			t.Fatalf("status %d, want 206", w.Code)
		}
		mt, params, err := mime.ParseMediaType(w.Header().Get("Content-Type"))
		if err != nil || mt != "multipart/byteranges" {
			t.Fatalf("Content-Type %q, want multipart/byteranges", w.Header().Get("Content-Type"))
		}
		mr := multipart.NewReader(w.Body, params["boundary"])
		for _, want := range [][]byte{data[0:2], data[50:53]} {
			p, err := mr.NextPart()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(p)
			if !bytes.Equal(got, want) {
				t.Errorf("part %q: %v, want %v", p.Header.Get("Content-Range"), got, want)
			}
		}
	})

	t.Run("unsatisfiable range", func(t *testing.T) {
		w := serve(h, "GET", url, map[string]string{"Range": "bytes=100-200"})
		if w.Code != http.StatusRequestedRangeNotSatisfiable {
			t.Fatalf("status %d, want 416", w.Code)
		}
		if got := w.Header().Get("Content-Range"); got != "bytes */100" {
			t.Errorf("Content-Range %q, want bytes */100", got)
		}
	})

	t.Run("non-media is an attachment", func(t *testing.T) {
		w := serve(h, "GET", "/media/"+docKey, nil)
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), doc) {
			t.Fatalf("status %d, body %q", w.Code, w.Body)
		}
		if got := w.Header().Get("Content-Disposition"); got != "attachment" {
			t.Errorf("Content-Disposition %q, want attachment", got)
		}
		if got := w.Header().Get("Content-Type"); got != "application/octet-stream" {
			t.Errorf("Content-Type %q, want application/octet-stream", got)
		}
	})

	t.Run("not found", func(t *testing.T) {
		for _, target := range []string{
			"/media/../etc/passwd",
			"/media/%2e%2e/etc/passwd",
			"/media/attachments/../../etc/passwd",
			"/media//etc/passwd",
			"/media/" + strings.ToUpper(key),
			"/media/" + KeyOf("attachments", []byte("never stored"), ".png"),
			"/media/",
			"/other/" + key,
			"/media/attachments/" + key[len("attachments/"):len("attachments/ab")], // a directory
		} {
			w := serve(h, "GET", target, nil)
			if w.Code != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", target, w.Code)
			}
			if strings.Contains(w.Body.String(), "root:") {
				t.Errorf("GET %s leaked a file", target)
			}
		}
	})

	t.Run("other methods", func(t *testing.T) {
		for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			w := serve(h, m, url, nil)
			if w.Code != http.StatusMethodNotAllowed {
				t.Errorf("%s: status %d, want 405", m, w.Code)
			}
			if got := w.Header().Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s: Allow %q, want GET, HEAD", m, got)
			}
		}
		if ok, _ := b.Exists(ctx, key); !ok {
			t.Error("DELETE through the handler removed the file")
		}
	})
}

// failingBackend fails Open like an unreachable store.
type failingBackend struct{ Backend }

func (failingBackend) Open(context.Context, string) (Object, error) {
	return nil, errors.New("dial tcp 10.0.0.9:9000: secret internal detail")
}

func TestHandlerBackendFailure(t *testing.T) {
	key := KeyOf("attachments", []byte("x"), ".png")
	addr := closedPort(t)
	down, err := NewS3(S3Config{Endpoint: addr, Bucket: "media", Insecure: true, PathStyle: true, Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]Backend{"stub": failingBackend{&Local{}}, "s3 down": down} {
		var logged bytes.Buffer
		h := Handler(b, "/media/", slog.New(slog.NewTextHandler(&logged, nil)))
		w := serve(h, "GET", "/media/"+key, nil)
		if w.Code != http.StatusBadGateway {
			t.Errorf("%s: status %d, want 502", name, w.Code)
		}
		if body := w.Body.String(); body != "media storage unavailable\n" {
			t.Errorf("%s: body %q, want a short fixed text", name, body)
		}
		if !strings.Contains(logged.String(), key) {
			t.Errorf("%s: failure not logged with its key: %q", name, logged.String())
		}
	}
}
