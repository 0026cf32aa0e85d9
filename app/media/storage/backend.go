// Package storage keeps media files (uploads, thumbnails, cached remote
// media) on local disk or in S3-compatible object storage, and serves them
// over HTTP.
//
// # Layout
//
// Every file is stored under a key built by Key from a prefix, the SHA-256
// of its bytes and an extension:
//
//	attachments/ab/cd/abcd…(64 hex digits).jpg
//
// The two directory levels keep any one directory small on local disk (and
// are harmless on S3). Local maps a key to Root/<key>; S3 uses the key as
// the object name in one bucket.
//
// # Why content addressing
//
//   - Dedupe: the same bytes uploaded twice, or the same remote file cached
//     by two posts, land on one key and are stored once.
//   - Immutable caching: a key's bytes never change, so they are served with
//     a year-long "immutable" Cache-Control and a strong ETag derived from
//     the key, and a CDN in front never needs purging.
//   - Safe concurrent writers: two writers of the same key write identical
//     bytes, so whichever finishes last leaves the right file; no locking is
//     needed, only that each write is atomic (a reader never sees half a
//     file).
//
// Deleting is the caller's business: a key may be shared by several
// records, so only the caller knows when the last reference is gone.
//
// # Content types
//
// The key's extension carries the content type (see ContentType and Ext),
// because a local file has nowhere else to keep it. Put accepts a content
// type only to catch a caller whose extension disagrees with it; both
// backends then report the extension's type, so they behave the same.
package storage

import (
	"context"
	"errors"
	"io"
	"time"
)

// CacheControl is sent with every stored file: keys are content hashes, so
// the bytes behind a key never change.
const CacheControl = "public, max-age=31536000, immutable"

// ErrNotFound is returned (wrapped) by Open for a key that is not stored.
var ErrNotFound = errors.New("storage: not found")

// ErrInvalidKey is returned (wrapped) by every backend method given a key
// that ValidKey refuses.
var ErrInvalidKey = errors.New("storage: invalid key")

// Backend stores files by key. Implementations are safe for concurrent use.
type Backend interface {
	// Put stores size bytes read from r under key, replacing any previous
	// file. size < 0 means unknown (read to EOF); a reader that ends before
	// size bytes is an error. contentType may be empty; otherwise it must
	// agree with the key's extension. The write is atomic: readers see the
	// old file or the whole new one, never a part.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error

	// Open returns the stored file for reading, or an error wrapping
	// ErrNotFound when there is none. The caller closes the Object.
	Open(ctx context.Context, key string) (Object, error)

	// Delete removes the file; a missing file is not an error.
	Delete(ctx context.Context, key string) error

	// Exists reports whether a file is stored under key.
	Exists(ctx context.Context, key string) (bool, error)

	// URL is the public address clients fetch key from, or "" when Pukeko
	// serves the file itself (at /media/<key>, see Handler).
	URL(key string) string
}

// Object is an open stored file.
type Object interface {
	io.ReadSeekCloser
	// Size is the file's length in bytes.
	Size() int64
	// ModTime is when the file was stored.
	ModTime() time.Time
	// ContentType is the file's media type, e.g. "image/jpeg".
	ContentType() string
}
