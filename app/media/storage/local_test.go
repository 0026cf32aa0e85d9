package storage

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestLocalConformance(t *testing.T) {
	testConformance(t, &Local{Root: filepath.Join(t.TempDir(), "media")})
}

// tempFiles lists the temporary files left anywhere under root.
func tempFiles(t *testing.T, root string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestLocalLayoutAndModes(t *testing.T) {
	root := filepath.Join(t.TempDir(), "media")
	l := &Local{Root: root}
	data := []byte("hello")
	key := KeyOf("attachments", data, ".jpg")
	if err := l.Put(t.Context(), key, bytes.NewReader(data), int64(len(data)), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, "attachments", key[12:14], key[15:17], key[18:])
	got, err := os.ReadFile(want)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("file at %s: %q, %v; want %q", want, got, err, data)
	}
	for _, dir := range []string{root, filepath.Dir(want)} {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm&^0o750 != 0 {
			t.Errorf("%s has mode %v, want at most 0750", dir, perm)
		}
	}
	fi, err := os.Stat(want)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o640 {
		t.Errorf("file mode %v, want 0640", perm)
	}
	if l.URL(key) != "" {
		t.Errorf("URL = %q, want empty", l.URL(key))
	}
}

// TestLocalPutIsAtomic holds a Put halfway through its body and checks
// that the key is not visible until the Put completes.
func TestLocalPutIsAtomic(t *testing.T) {
	root := t.TempDir()
	l := &Local{Root: root}
	ctx := t.Context()
	data := testData(64<<10, 3)
	key := KeyOf("attachments", data, ".webp")

	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- l.Put(ctx, key, pr, int64(len(data)), "image/webp") }()

	if _, err := pw.Write(data[:len(data)/2]); err != nil {
		t.Fatal(err)
	}
	// The first half has been consumed by Put (the pipe is unbuffered).
	if ok, err := l.Exists(ctx, key); err != nil || ok {
		t.Fatalf("half-written key visible: Exists = %v, %v", ok, err)
	}
	if _, err := l.Open(ctx, key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Open of half-written key: %v; want ErrNotFound", err)
	}
	if n := len(tempFiles(t, root)); n != 1 {
		t.Fatalf("%d temporary files during Put, want 1", n)
	}
	if _, err := pw.Write(data[len(data)/2:]); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatalf("Put: %v", err)
	}
	o, err := l.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if got := readAll(t, o); !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, want %d", len(got), len(data))
	}
	if tmp := tempFiles(t, root); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
}

// slowReader returns at most n bytes per Read, so concurrent writers
// interleave.
type slowReader struct {
	r io.Reader
	n int
}

func (s slowReader) Read(p []byte) (int, error) {
	if len(p) > s.n {
		p = p[:s.n]
	}
	return s.r.Read(p)
}

func TestLocalConcurrentPutsOfOneKey(t *testing.T) {
	root := t.TempDir()
	l := &Local{Root: root}
	ctx := t.Context()
	data := testData(1<<20, 5)
	key := KeyOf("attachments", data, ".mp4")

	const writers = 8
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, writers)
	for range writers {
		wg.Go(func() {
			<-start
			errs <- l.Put(ctx, key, slowReader{bytes.NewReader(data), 4096}, int64(len(data)), "video/mp4")
		})
	}
	// A reader racing the writers must only ever see the whole file.
	stop := make(chan struct{})
	readerDone := make(chan error, 1)
	go func() {
		seen := 0
		for {
			select {
			case <-stop:
				readerDone <- nil
				return
			default:
			}
			o, err := l.Open(ctx, key)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				readerDone <- err
				return
			}
			got, err := io.ReadAll(o)
			o.Close()
			if err != nil {
				readerDone <- err
				return
			}
			if !bytes.Equal(got, data) {
				readerDone <- errors.New("reader saw a partial or wrong file")
				return
			}
			seen++
		}
	}()
	close(start)
	wg.Wait()
	close(stop)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Put: %v", err)
		}
	}
	if err := <-readerDone; err != nil {
		t.Fatal(err)
	}

	got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(key)))
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("final file: %d bytes, %v; want %d bytes", len(got), err, len(data))
	}
	entries, err := os.ReadDir(filepath.Dir(filepath.Join(root, filepath.FromSlash(key))))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != filepath.Base(key) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v, want only %s", names, filepath.Base(key))
	}
}

// errReader fails after giving some bytes.
type errReader struct{ n int }

func (e *errReader) Read(p []byte) (int, error) {
	if e.n <= 0 {
		return 0, errors.New("upload connection reset")
	}
	n := min(len(p), e.n)
	clear(p[:n])
	e.n -= n
	return n, nil
}

func TestLocalFailedPutLeavesNothing(t *testing.T) {
	root := t.TempDir()
	l := &Local{Root: root}
	key := KeyOf("attachments", []byte("failing"), ".gif")

	err := l.Put(t.Context(), key, &errReader{n: 1000}, 5000, "image/gif")
	if err == nil || !strings.Contains(err.Error(), "upload connection reset") {
		t.Fatalf("Put with failing reader: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := l.Put(ctx, key, strings.NewReader("abc"), 3, "image/gif"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with cancelled context: %v; want context.Canceled", err)
	}
	if ok, _ := l.Exists(t.Context(), key); ok {
		t.Fatal("failed Put stored the file")
	}
	if tmp := tempFiles(t, root); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}
}

func TestLocalDirectoryIsNotAFile(t *testing.T) {
	root := t.TempDir()
	l := &Local{Root: root}
	ctx := t.Context()
	key := KeyOf("attachments", []byte("x"), ".png")
	if err := l.Put(ctx, key, strings.NewReader("x"), 1, ""); err != nil {
		t.Fatal(err)
	}
	dirKey := key[:len("attachments/ab")] // a hash directory
	if ok, err := l.Exists(ctx, dirKey); err != nil || ok {
		t.Errorf("Exists(dir) = %v, %v; want false, nil", ok, err)
	}
	if _, err := l.Open(ctx, dirKey); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open(dir): %v; want ErrNotFound", err)
	}
	if err := l.Delete(ctx, dirKey); err != nil {
		t.Errorf("Delete(dir): %v", err)
	}
	if ok, _ := l.Exists(ctx, key); !ok {
		t.Error("Delete of a directory key removed the file below it")
	}
}

func TestLocalWithoutRoot(t *testing.T) {
	l := &Local{}
	key := KeyOf("a", []byte("x"), ".png")
	if err := l.Put(t.Context(), key, strings.NewReader("x"), 1, ""); err == nil {
		t.Fatal("Put with empty Root succeeded")
	}
}
