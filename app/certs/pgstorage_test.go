package certs

import (
	"context"
	"errors"
	"io/fs"
	"slices"
	"testing"

	"github.com/caddyserver/certmagic"

	"pukeko/app/testkit"
)

// The PostgreSQL storage must answer exactly as certmagic's FileStorage,
// the reference implementation, for the same operations.
func TestStorageContract(t *testing.T) {
	t.Parallel()
	for _, impl := range []struct {
		name string
		new  func(t *testing.T) certmagic.Storage
	}{
		{"file", func(t *testing.T) certmagic.Storage { return &certmagic.FileStorage{Path: t.TempDir()} }},
		{"postgres", func(t *testing.T) certmagic.Storage { return newPGStorage(testkit.DB(t)) }},
	} {
		t.Run(impl.name, func(t *testing.T) {
			t.Parallel()
			testStorageContract(t, impl.new(t))
		})
	}
}

func testStorageContract(t *testing.T, s certmagic.Storage) {
	ctx := context.Background()
	for _, kv := range []struct{ key, value string }{
		{"a/b/c.txt", "c"},
		{"a/b/d.txt", "dd"},
		{"a/e.txt", "eee"},
		{"ab/x.txt", "x"}, // "a" is not a prefix of "ab/...": components count
		{"f.txt", ""},
	} {
		if err := s.Store(ctx, kv.key, []byte(kv.value)); err != nil {
			t.Fatalf("Store(%s): %v", kv.key, err)
		}
	}
	if err := s.Store(ctx, "a/e.txt", []byte("EEEE")); err != nil {
		t.Fatalf("Store overwrite: %v", err)
	}

	loads := []struct {
		key, want string
		missing   bool
	}{
		{key: "a/b/c.txt", want: "c"},
		{key: "a/e.txt", want: "EEEE"},
		{key: "f.txt", want: ""},
		{key: "a/b/nope.txt", missing: true},
		{key: "a/b/c", missing: true},
	}
	for _, tc := range loads {
		got, err := s.Load(ctx, tc.key)
		if tc.missing {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Load(%s) error %v, want fs.ErrNotExist", tc.key, err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("Load(%s) = %q, %v; want %q", tc.key, got, err, tc.want)
		}
	}

	for key, want := range map[string]bool{
		"a": true, "a/b": true, "a/b/c.txt": true, "f.txt": true,
		"a/b/c": false, "a/b/c.tx": false, "zz": false, "b": false,
	} {
		if got := s.Exists(ctx, key); got != want {
			t.Errorf("Exists(%s) = %v, want %v", key, got, want)
		}
	}

	lists := []struct {
		prefix    string
		recursive bool
		want      []string
		missing   bool
	}{
		{prefix: "a", want: []string{"a/b", "a/e.txt"}},
		{prefix: "a", recursive: true, want: []string{"a/b", "a/b/c.txt", "a/b/d.txt", "a/e.txt"}},
		{prefix: "a/b", want: []string{"a/b/c.txt", "a/b/d.txt"}},
		{prefix: "", want: []string{"a", "ab", "f.txt"}},
		{prefix: "f.txt", want: nil},
		{prefix: "zz", missing: true},
	}
	for _, tc := range lists {
		got, err := s.List(ctx, tc.prefix, tc.recursive)
		if tc.missing {
			if !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("List(%q, %v) error %v, want fs.ErrNotExist", tc.prefix, tc.recursive, err)
			}
			continue
		}
		slices.Sort(got)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("List(%q, %v) = %q, %v; want %q", tc.prefix, tc.recursive, got, err, tc.want)
		}
	}

	info, err := s.Stat(ctx, "a/e.txt")
	if err != nil || info.Key != "a/e.txt" || !info.IsTerminal || info.Size != 4 || info.Modified.IsZero() {
		t.Errorf("Stat(a/e.txt) = %+v, %v", info, err)
	}
	info, err = s.Stat(ctx, "a/b")
	if err != nil || info.Key != "a/b" || info.IsTerminal {
		t.Errorf("Stat(a/b) = %+v, %v; want a directory", info, err)
	}
	if _, err := s.Stat(ctx, "a/zz"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat(a/zz) error %v, want fs.ErrNotExist", err)
	}

	if err := s.Delete(ctx, "a/b"); err != nil {
		t.Fatalf("Delete(a/b): %v", err)
	}
	if err := s.Delete(ctx, "a/b"); err != nil {
		t.Errorf("Delete of a missing key: %v, want nil", err)
	}
	if s.Exists(ctx, "a/b/c.txt") || s.Exists(ctx, "a/b") {
		t.Error("Delete(a/b) left keys under a/b")
	}
	if err := s.Delete(ctx, "a"); err != nil {
		t.Fatalf("Delete(a): %v", err)
	}
	if s.Exists(ctx, "a/e.txt") {
		t.Error("Delete(a) left a/e.txt")
	}
	if !s.Exists(ctx, "ab/x.txt") || !s.Exists(ctx, "f.txt") {
		t.Error("Delete(a) removed keys outside a/")
	}
}
