package testkit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
	binaryDir  string
)

// BuildFlags are the flags a release is built with (README); Binary uses
// them with CGO_ENABLED=0, so tests run what users run.
var BuildFlags = []string{"-trimpath", "-ldflags", "-s -w"}

// Binary builds the pukeko binary once per test binary, as a release is
// built, and returns its path. The directory is
// world-readable so that a binary started as root can still be read after
// it drops privileges.
func Binary(t testing.TB) string {
	t.Helper()
	binaryOnce.Do(func() {
		root, err := ModuleRoot()
		if err != nil {
			binaryErr = err
			return
		}
		binaryDir, err = os.MkdirTemp("", "pukeko-test-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		os.Chmod(binaryDir, 0o755)
		binaryPath = filepath.Join(binaryDir, "pukeko")
		cmd := exec.Command("go", append(append([]string{"build"}, BuildFlags...), "-o", binaryPath, ".")...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binaryErr = fmt.Errorf("testkit: go build failed: %v\n%s", err, out)
		}
	})
	if binaryErr != nil {
		t.Fatal(binaryErr)
	}
	return binaryPath
}

// ModuleRoot returns the directory holding go.mod, found upwards from the
// working directory (a package directory, under go test).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("testkit: no go.mod above the working directory")
		}
		dir = parent
	}
}

// TempDir returns a directory that every user may enter (mode 0755), for
// processes that drop from root to an unprivileged user; t.TempDir's 0700
// would lock them out. It is removed when t ends.
func TempDir(t testing.TB) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pukeko-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func removeBinary() {
	if binaryDir != "" {
		os.RemoveAll(binaryDir)
	}
}
