package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Local stores files under a directory on local disk, one file per key at
// Root/<key>. Directories are created (mode 0750) on first write.
type Local struct {
	// Root is the directory holding the files.
	Root string
}

var _ Backend = (*Local)(nil)

// path maps a valid key to its file.
func (l *Local) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	if l.Root == "" {
		return "", errors.New("storage: local root is not set")
	}
	return filepath.Join(l.Root, filepath.FromSlash(key)), nil
}

// Put writes the file to a temporary file in the destination directory,
// syncs it and renames it into place, so a reader (or a crash) never sees a
// partial file. Concurrent Puts of one key each write their own temporary
// file; the last rename wins, and as keys are content hashes all wrote the
// same bytes.
func (l *Local) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	if _, err := putType(key, contentType); err != nil {
		return err
	}
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := l.put(ctx, p, r, size); err != nil {
		return fmt.Errorf("storage: local put %q: %w", key, err)
	}
	return nil
}

func (l *Local) put(ctx context.Context, p string, r io.Reader, size int64) (err error) {
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	// The dot prefix keeps temporary files out of the key space (ValidKey
	// refuses dot segments).
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()

	src := ctxReader{ctx, r}
	if size >= 0 {
		var n int64
		n, err = io.CopyN(f, src, size)
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("short body: %d of %d bytes: %w", n, size, io.ErrUnexpectedEOF)
		}
	} else {
		_, err = io.Copy(f, src)
	}
	if err != nil {
		return err
	}
	// CreateTemp makes 0600 files; let the group (e.g. a front web server)
	// read them, matching the 0750 directories.
	if err = f.Chmod(0o640); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = ctx.Err(); err != nil {
		return err
	}
	if err = os.Rename(tmp, p); err != nil {
		return err
	}
	// Make the rename itself durable. Best effort: some systems cannot
	// sync a directory, and the file is already complete either way.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Open opens the file for reading.
func (l *Local) Open(ctx context.Context, key string) (Object, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, key)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: local open %q: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("storage: local open %q: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		// A key naming one of the hash directories, say.
		f.Close()
		return nil, fmt.Errorf("%w: %q", ErrNotFound, key)
	}
	return &localObject{File: f, size: fi.Size(), mod: fi.ModTime(), typ: ContentType(key)}, nil
}

// Delete removes the file. Empty directories are left in place: a
// concurrent Put may be about to use them.
func (l *Local) Delete(ctx context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err == nil && fi.IsDir() {
		return nil // not a stored file, so nothing to delete
	}
	if err == nil {
		err = os.Remove(p)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: local delete %q: %w", key, err)
	}
	return nil
}

// Exists reports whether a regular file is stored under key.
func (l *Local) Exists(ctx context.Context, key string) (bool, error) {
	p, err := l.path(key)
	if err != nil {
		return false, err
	}
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("storage: local stat %q: %w", key, err)
	}
	return fi.Mode().IsRegular(), nil
}

// URL is always "": Pukeko serves local files itself (see Handler).
func (l *Local) URL(key string) string { return "" }

// localObject is an open local file with its metadata.
type localObject struct {
	*os.File
	size int64
	mod  time.Time
	typ  string
}

func (o *localObject) Size() int64         { return o.size }
func (o *localObject) ModTime() time.Time  { return o.mod }
func (o *localObject) ContentType() string { return o.typ }

// ctxReader stops a copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
