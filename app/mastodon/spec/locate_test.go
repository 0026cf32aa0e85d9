package spec

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLocateFindsSpecBesideModuleRoot(t *testing.T) {
	path, err := Locate()
	if errors.Is(err, ErrSpecMissing) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	root, err := moduleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := filepath.Abs(filepath.Join(root, "..", "shared", "mastodon-openapi.json"))
	got, _ := filepath.Abs(path)
	if got != want {
		t.Errorf("Locate() = %s, want %s", got, want)
	}
}

// skipRecorder is a testing.TB whose Skipf and Fatalf record the message
// and end the goroutine, as the real ones do.
type skipRecorder struct {
	testing.TB
	skipped, failed string
}

func (r *skipRecorder) Helper() {}

func (r *skipRecorder) Skipf(format string, args ...any) {
	r.skipped = sprintf(format, args...)
	runtime.Goexit()
}

func (r *skipRecorder) Fatalf(format string, args ...any) {
	r.failed = sprintf(format, args...)
	runtime.Goexit()
}

// TestForTestSkipsWithoutSpec points the search at a module with no
// shared folder beside it, as in a user's own clone.
func TestForTestSkipsWithoutSpec(t *testing.T) {
	dir := t.TempDir()
	module := filepath.Join(dir, "clone")
	if err := os.MkdirAll(filepath.Join(module, "app", "mastodon", "spec"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(module, "go.mod"), []byte("module pukeko\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	saved := startDir
	startDir = func() (string, error) { return filepath.Join(module, "app", "mastodon", "spec"), nil }
	t.Cleanup(func() { startDir = saved })

	if _, err := Load(); !errors.Is(err, ErrSpecMissing) {
		t.Fatalf("Load() error = %v, want one wrapping ErrSpecMissing", err)
	}

	var cache specCache
	rec := &skipRecorder{TB: t}
	done := make(chan *Spec)
	go func() {
		defer close(done)
		done <- cache.get(rec)
	}()
	if s := <-done; s != nil {
		t.Fatalf("ForTest returned a Spec without a spec file")
	}
	if rec.failed != "" {
		t.Fatalf("ForTest failed instead of skipping: %s", rec.failed)
	}
	if !strings.Contains(rec.skipped, "../shared/mastodon-openapi.json is not beside the repository") {
		t.Fatalf("skip message = %q, want it to say the spec is not beside the repository", rec.skipped)
	}
}

func TestForTestLoadsOnce(t *testing.T) {
	a := ForTest(t)
	b := ForTest(t)
	if a != b {
		t.Fatal("ForTest loaded the spec twice")
	}
	if got := len(a.Operations()); got != 210 {
		t.Errorf("%d operations, want 210 (Mastodon 4.7 spec)", got)
	}
}
