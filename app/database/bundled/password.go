package bundled

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// EnsurePassword returns the superuser password stored at path, creating
// it (random, mode 0600) when the file does not exist yet. The cluster
// listens on loopback, where other local users could connect: it must not
// run without a password.
func EnsurePassword(path string) (string, error) {
	if pw, err := ReadPassword(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return pw, err
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("bundled postgres: unable to generate a password: %w", err)
	}
	pw := hex.EncodeToString(buf)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("bundled postgres: unable to create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return ReadPassword(path) // another process was faster
	}
	if err != nil {
		return "", fmt.Errorf("bundled postgres: unable to create %s: %w", path, err)
	}
	_, werr := f.WriteString(pw + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return "", fmt.Errorf("bundled postgres: unable to write %s: %w", path, werr)
	}
	return pw, nil
}

// ReadPassword reads the superuser password stored at path.
func ReadPassword(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("bundled postgres: %s is empty", path)
	}
	return pw, nil
}
