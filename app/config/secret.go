package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// SecretKeyFile is the name of the generated secret key file in data_dir.
const SecretKeyFile = "secret_key"

// secretKeyBytes is the number of random bytes of a generated key.
const secretKeyBytes = 48

// EnsureSecretKey makes sure c.SecretKey is set. When it is empty, the key is
// read from <data_dir>/secret_key, or generated and stored there (mode 0600,
// never overwriting an existing file, so concurrent starts agree on one key).
// generated reports whether this call created the file. The key is never
// included in errors.
func EnsureSecretKey(c *Config) (generated bool, err error) {
	if c.SecretKey != "" {
		return false, nil
	}
	if c.DataDir == "" {
		return false, errors.New("config: secret key: data_dir is empty")
	}
	path := filepath.Join(c.DataDir, SecretKeyFile)
	key, err := readSecretKey(path)
	if err == nil {
		c.SecretKey = key
		return false, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}

	raw := make([]byte, secretKeyBytes)
	if _, err := rand.Read(raw); err != nil {
		return false, fmt.Errorf("config: generating secret key: %w", err)
	}
	key = base64.RawURLEncoding.EncodeToString(raw)
	created, err := createSecretKeyFile(c.DataDir, path, key)
	if err != nil {
		return false, err
	}
	if !created {
		// Another process won the race; use its key.
		key, err = readSecretKeyRetry(path)
		if err != nil {
			return false, err
		}
	}
	c.SecretKey = key
	return created, nil
}

// readSecretKey reads and checks a secret key file.
func readSecretKey(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("config: reading secret key: %w", err)
	}
	key := strings.TrimSpace(string(data))
	if len(key) < minSecretKeyLen {
		return "", fmt.Errorf("config: secret key in %s is too short: %d characters, need at least %d", path, len(key), minSecretKeyLen)
	}
	return key, nil
}

// readSecretKeyRetry reads a key another process just created, allowing it a
// moment to finish writing when the non-atomic fallback was used.
func readSecretKeyRetry(path string) (string, error) {
	var err error
	for range 20 {
		var key string
		if key, err = readSecretKey(path); err == nil {
			return key, nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return "", err
}

// createSecretKeyFile writes key to path unless path exists, reporting
// whether it did. The file is written to a temporary file and hard-linked
// into place, which fails if path exists, so readers never see a partial
// key. Where hard links are unsupported it falls back to O_EXCL.
func createSecretKeyFile(dir, path, key string) (bool, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return false, fmt.Errorf("config: creating data_dir: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+SecretKeyFile+"-*.tmp")
	if err != nil {
		return false, fmt.Errorf("config: creating secret key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := writeKey(tmp, key); err != nil {
		return false, err
	}

	err = os.Link(tmp.Name(), path)
	switch {
	case err == nil:
		syncDir(dir)
		return true, nil
	case errors.Is(err, fs.ErrExist):
		return false, nil
	}

	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("config: creating secret key file: %w", err)
	}
	if err := writeKey(f, key); err != nil {
		os.Remove(path)
		return false, err
	}
	syncDir(dir)
	return true, nil
}

// writeKey writes key to f with mode 0600, syncs and closes it.
func writeKey(f *os.File, key string) error {
	err := f.Chmod(0o600)
	if err == nil {
		_, err = f.WriteString(key + "\n")
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("config: writing secret key file: %w", err)
	}
	return nil
}

// syncDir flushes a directory entry to disk, best effort.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
