package storage

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// testData returns n bytes that differ from position to position, so a
// read from the wrong offset shows.
func testData(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7+i/251) ^ seed
	}
	return b
}

// invalidKeys are refused by ValidKey and so by every backend method.
var invalidKeys = []string{
	"",
	"../x",
	"a/../b",
	"a/..",
	"..",
	"/abs",
	"a\\b",
	"A.JPG",
	"a//b",
	"a/",
	"./a",
	".hidden",
	"a/.tmp-123",
	"a b",
	"a..b",
	"a%2fb",
	"caf\u00e9.jpg",
	"a\x00b",
	strings.Repeat("a", maxKeyLen+1),
}

// readAll reads the whole object from its current offset.
func readAll(t *testing.T, o Object) []byte {
	t.Helper()
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return b
}

// testConformance checks behaviour every Backend must share.
func testConformance(t *testing.T, b Backend) {
	ctx := t.Context()
	data := testData(100_000, 1)
	key := KeyOf("attachments", data, ".png")

	t.Run("absent", func(t *testing.T) {
		if ok, err := b.Exists(ctx, key); err != nil || ok {
			t.Fatalf("Exists before Put = %v, %v; want false, nil", ok, err)
		}
		if _, err := b.Open(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Open before Put: %v; want ErrNotFound", err)
		}
	})

	t.Run("put and open", func(t *testing.T) {
		before := time.Now().Add(-2 * time.Second)
		if err := b.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "image/png"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if ok, err := b.Exists(ctx, key); err != nil || !ok {
			t.Fatalf("Exists after Put = %v, %v; want true, nil", ok, err)
		}
		o, err := b.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer o.Close()
		if o.Size() != int64(len(data)) {
			t.Errorf("Size = %d, want %d", o.Size(), len(data))
		}
		if o.ContentType() != "image/png" {
			t.Errorf("ContentType = %q, want image/png", o.ContentType())
		}
		if mt := o.ModTime(); mt.Before(before) || mt.After(time.Now().Add(2*time.Second)) {
			t.Errorf("ModTime = %v, want about now", mt)
		}
		if got := readAll(t, o); !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes, not the %d put", len(got), len(data))
		}
	})

	t.Run("seek", func(t *testing.T) {
		o, err := b.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer o.Close()
		if n, err := o.Seek(0, io.SeekEnd); err != nil || n != int64(len(data)) {
			t.Fatalf("Seek(0, end) = %d, %v; want %d", n, err, len(data))
		}
		if _, err := o.Seek(50_000, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 10)
		if _, err := io.ReadFull(o, buf); err != nil || !bytes.Equal(buf, data[50_000:50_010]) {
			t.Fatalf("read at 50000 = %v, %v; want %v", buf, err, data[50_000:50_010])
		}
		if _, err := o.Seek(-5, io.SeekEnd); err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, o); !bytes.Equal(got, data[len(data)-5:]) {
			t.Fatalf("last 5 bytes = %v, want %v", got, data[len(data)-5:])
		}
	})

	t.Run("overwrite same key", func(t *testing.T) {
		// Unknown size and no declared type this time.
		if err := b.Put(ctx, key, bytes.NewReader(data), -1, ""); err != nil {
			t.Fatalf("second Put: %v", err)
		}
		o, err := b.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		if got := readAll(t, o); !bytes.Equal(got, data) || o.Size() != int64(len(data)) {
			t.Fatalf("after overwrite: %d bytes, Size %d; want %d", len(got), o.Size(), len(data))
		}
		if o.ContentType() != "image/png" {
			t.Errorf("ContentType = %q, want image/png", o.ContentType())
		}
	})

	t.Run("empty file and unknown extension", func(t *testing.T) {
		k := KeyOf("cache", nil, ".xyz")
		if err := b.Put(ctx, k, bytes.NewReader(nil), 0, "application/octet-stream"); err != nil {
			t.Fatalf("Put empty: %v", err)
		}
		o, err := b.Open(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		if got := readAll(t, o); len(got) != 0 || o.Size() != 0 {
			t.Errorf("empty file: read %d bytes, Size %d", len(got), o.Size())
		}
		if o.ContentType() != "application/octet-stream" {
			t.Errorf("ContentType = %q, want application/octet-stream", o.ContentType())
		}
	})

	t.Run("content type must match extension", func(t *testing.T) {
		k := KeyOf("attachments", []byte("x"), ".png")
		err := b.Put(ctx, k, strings.NewReader("x"), 1, "image/jpeg")
		if err == nil || errors.Is(err, ErrInvalidKey) {
			t.Fatalf("Put png key as image/jpeg: %v; want a type mismatch error", err)
		}
		if ok, _ := b.Exists(ctx, k); ok {
			t.Fatal("refused Put stored the file")
		}
	})

	t.Run("short body fails and stores nothing", func(t *testing.T) {
		k := KeyOf("attachments", []byte("short"), ".jpg")
		err := b.Put(ctx, k, strings.NewReader("short"), 10, "image/jpeg")
		if err == nil {
			t.Fatal("Put with 5 of 10 bytes succeeded")
		}
		if ok, err := b.Exists(ctx, k); err != nil || ok {
			t.Fatalf("Exists after failed Put = %v, %v; want false", ok, err)
		}
	})

	t.Run("delete", func(t *testing.T) {
		if err := b.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if ok, err := b.Exists(ctx, key); err != nil || ok {
			t.Fatalf("Exists after Delete = %v, %v; want false, nil", ok, err)
		}
		if _, err := b.Open(ctx, key); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Open after Delete: %v; want ErrNotFound", err)
		}
		if err := b.Delete(ctx, key); err != nil {
			t.Fatalf("second Delete: %v", err)
		}
		if err := b.Delete(ctx, KeyOf("never", []byte("stored"), ".gif")); err != nil {
			t.Fatalf("Delete of a never-stored key: %v", err)
		}
	})

	t.Run("invalid keys refused", func(t *testing.T) {
		for _, k := range invalidKeys {
			if err := b.Put(ctx, k, strings.NewReader("x"), 1, ""); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Put(%q): %v; want ErrInvalidKey", k, err)
			}
			if _, err := b.Open(ctx, k); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Open(%q): %v; want ErrInvalidKey", k, err)
			}
			if _, err := b.Exists(ctx, k); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Exists(%q): %v; want ErrInvalidKey", k, err)
			}
			if err := b.Delete(ctx, k); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Delete(%q): %v; want ErrInvalidKey", k, err)
			}
			if u := b.URL(k); u != "" {
				t.Errorf("URL(%q) = %q, want empty", k, u)
			}
		}
	})
}
