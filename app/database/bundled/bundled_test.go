package bundled

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseMajor(t *testing.T) {
	t.Parallel()
	for out, want := range map[string]string{
		"postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n": "15",
		"postgres (PostgreSQL) 9.6.24\n":                         "9.6",
		"postgres (PostgreSQL) 17.5\n":                           "17",
		"postgres (PostgreSQL) 18beta1\n":                        "18",
	} {
		got, err := parseMajor(out)
		if err != nil || got != want {
			t.Errorf("parseMajor(%q) = %q, %v; want %q", out, got, err, want)
		}
	}
	if _, err := parseMajor("command not found"); err == nil {
		t.Error("parseMajor accepted garbage")
	}
}

func TestCheckVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := checkVersion(dir, "/bin", "15"); err != nil {
		t.Fatalf("a directory without PG_VERSION was refused: %v", err)
	}
	os.WriteFile(filepath.Join(dir, "PG_VERSION"), []byte("15\n"), 0o600)
	if err := checkVersion(dir, "/bin", "15"); err != nil {
		t.Fatalf("a matching version was refused: %v", err)
	}
	err := checkVersion(dir, "/opt/pg16/bin", "16")
	if !errors.Is(err, ErrVersionMismatch) || !strings.Contains(err.Error(), "PostgreSQL 15") || !strings.Contains(err.Error(), "/opt/pg16/bin") {
		t.Fatalf("checkVersion with 15 data and 16 binaries = %v", err)
	}
}

func TestCheckLayout(t *testing.T) {
	t.Parallel()
	cases := []struct {
		data, runtime string
		ok            bool
	}{
		{"/srv/pukeko/postgres", "/srv/pukeko/run", true},
		{"/srv/pukeko/run/postgres", "/srv/pukeko/run", false},
		{"/srv/pukeko/run", "/srv/pukeko/run", false},
		{"/srv/pukeko", "/srv/pukeko/run", false},
		{"/srv/pukeko/runner", "/srv/pukeko/run", true},
		{"relative/postgres", "/srv/run", false},
	}
	for _, c := range cases {
		if err := checkLayout(c.data, c.runtime); (err == nil) != c.ok {
			t.Errorf("checkLayout(%q, %q) = %v, want ok=%v", c.data, c.runtime, err, c.ok)
		}
	}
}

func TestFindBinariesConfigured(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if _, err := FindBinaries(root); err == nil || !strings.Contains(err.Error(), "database.bundled.binaries") {
		t.Fatalf("an empty installation was accepted: %v", err)
	}
	bin := filepath.Join(root, "bin")
	os.MkdirAll(bin, 0o755)
	for _, name := range []string{"initdb", "postgres"} {
		os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"), 0o755)
	}
	for _, configured := range []string{root, bin} {
		got, err := FindBinaries(configured)
		if err != nil || got != bin {
			t.Errorf("FindBinaries(%q) = %q, %v; want %q", configured, got, err, bin)
		}
	}
}

func TestClaimIsExclusive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	own, owner, err := Claim(dir, "serve")
	if err != nil || own == nil || owner != nil {
		t.Fatalf("first Claim = %v, %v, %v", own, owner, err)
	}
	second, owner, err := Claim(dir, "migrate")
	if err != nil || second != nil || owner == nil {
		t.Fatalf("second Claim while held = %v, %v, %v", second, owner, err)
	}
	if owner.PID != os.Getpid() || owner.Role != "serve" {
		t.Errorf("owner = %+v, want pid %d role serve", owner, os.Getpid())
	}
	own.Release()
	third, _, err := Claim(dir, "migrate")
	if err != nil || third == nil {
		t.Fatalf("Claim after Release = %v, %v", third, err)
	}
	third.Release()
}

// A directory that holds files but no cluster is never initialised over.
func TestStartRefusesNonEmptyDirectory(t *testing.T) {
	t.Parallel()
	if _, err := FindBinaries(""); err != nil {
		t.Skipf("no PostgreSQL binaries: %v", err)
	}
	root := t.TempDir()
	data := filepath.Join(root, "postgres")
	os.MkdirAll(data, 0o700)
	keep := filepath.Join(data, "notes.txt")
	os.WriteFile(keep, []byte("mine"), 0o600)
	_, err := Start(context.Background(), Options{
		DataDir:      data,
		RuntimeDir:   filepath.Join(root, "run"),
		PasswordFile: filepath.Join(root, "pw"),
		Port:         1,
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Start on a non-empty directory = %v", err)
	}
	if b, _ := os.ReadFile(keep); string(b) != "mine" {
		t.Fatal("a file in the refused directory changed")
	}
}
