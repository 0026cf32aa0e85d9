package certs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgStorage is a certmagic.Storage over the certmagic_data and
// certmagic_locks tables (schema/0005_certmagic.sql), so that every node
// of a cluster shares accounts, keys, certificates and challenge tokens,
// and only one of them obtains a given certificate at a time.
//
// certmagic's keys are "/"-separated paths without leading or trailing
// slash; a "directory" is a key prefix ending at a "/" and has no row.
type pgStorage struct {
	db *pgxpool.Pool

	lockTTL  time.Duration // how long a lock lives without being refreshed
	lockPoll time.Duration // pause between attempts to take a held lock

	mu    sync.Mutex
	locks map[string]*heldLock // locks this storage holds, by name
}

var (
	_ certmagic.Storage   = (*pgStorage)(nil)
	_ certmagic.TryLocker = (*pgStorage)(nil)
)

func newPGStorage(db *pgxpool.Pool) *pgStorage {
	return &pgStorage{
		db:       db,
		lockTTL:  2 * time.Minute,
		lockPoll: 500 * time.Millisecond,
		locks:    make(map[string]*heldLock),
	}
}

// cleanKey trims stray slashes so that "a/b/" and "a/b" name the same key,
// as they would in certmagic's FileStorage.
func cleanKey(key string) string {
	return strings.Trim(key, "/")
}

// Store creates or overwrites the value at key. certmagic expects the write
// to be complete when Store returns (Load then sees it, on any node).
func (s *pgStorage) Store(ctx context.Context, key string, value []byte) error {
	if value == nil {
		value = []byte{} // the column is NOT NULL; an empty file is legitimate
	}
	_, err := s.db.Exec(ctx, `INSERT INTO certmagic_data (key, value, modified) VALUES ($1, $2, now())
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, modified = EXCLUDED.modified`, cleanKey(key), value)
	if err != nil {
		return fmt.Errorf("certs: storing %s: %w", key, err)
	}
	return nil
}

// Load returns the value at key, or an error wrapping fs.ErrNotExist, which
// certmagic tests for to tell "absent" from "broken".
func (s *pgStorage) Load(ctx context.Context, key string) ([]byte, error) {
	var value []byte
	err := s.db.QueryRow(ctx, "SELECT value FROM certmagic_data WHERE key = $1", cleanKey(key)).Scan(&value)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("certs: %s: %w", key, fs.ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("certs: loading %s: %w", key, err)
	}
	return value, nil
}

// Delete removes key and, when key is a directory, everything under it.
// certmagic's contract: a missing key is not an error.
func (s *pgStorage) Delete(ctx context.Context, key string) error {
	key = cleanKey(key)
	_, err := s.db.Exec(ctx, "DELETE FROM certmagic_data WHERE key = $1 OR starts_with(key, $1 || '/')", key)
	if err != nil {
		return fmt.Errorf("certs: deleting %s: %w", key, err)
	}
	return nil
}

// Exists reports whether key is a file or a directory; certmagic treats an
// error as "does not exist", which is all a bool can say.
func (s *pgStorage) Exists(ctx context.Context, key string) bool {
	key = cleanKey(key)
	var exists bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM certmagic_data
		WHERE key = $1 OR starts_with(key, $1 || '/'))`, key).Scan(&exists)
	return err == nil && exists
}

// List returns the keys under prefix, as full keys, like FileStorage:
// the files and directories directly under it, or every file and directory
// below it when recursive. A prefix that does not exist is fs.ErrNotExist;
// a file has no entries.
func (s *pgStorage) List(ctx context.Context, prefix string, recursive bool) ([]string, error) {
	prefix = cleanKey(prefix)
	var rows pgx.Rows
	var err error
	if prefix == "" {
		rows, err = s.db.Query(ctx, "SELECT key FROM certmagic_data")
	} else {
		rows, err = s.db.Query(ctx, "SELECT key FROM certmagic_data WHERE key = $1 OR starts_with(key, $1 || '/')", prefix)
	}
	if err != nil {
		return nil, fmt.Errorf("certs: listing %s: %w", prefix, err)
	}
	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("certs: listing %s: %w", prefix, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("certs: %s: %w", prefix, fs.ErrNotExist)
	}
	seen := make(map[string]bool)
	for _, key := range keys {
		rel := key
		if prefix != "" {
			if key == prefix {
				continue // prefix is a file: nothing under it
			}
			rel = key[len(prefix)+1:]
		}
		parts := strings.Split(rel, "/")
		if !recursive {
			parts = parts[:1]
		}
		// Each leading run of components is an entry: the directories on
		// the way down, then the file itself.
		for i := range parts {
			entry := strings.Join(parts[:i+1], "/")
			if prefix != "" {
				entry = prefix + "/" + entry
			}
			seen[entry] = true
		}
	}
	list := make([]string, 0, len(seen))
	for k := range seen {
		list = append(list, k)
	}
	sort.Strings(list)
	return list, nil
}

// Stat describes key: a file with its size and modification time, or a
// directory (IsTerminal false) when key only prefixes other keys.
func (s *pgStorage) Stat(ctx context.Context, key string) (certmagic.KeyInfo, error) {
	key = cleanKey(key)
	var size int64
	var modified time.Time
	err := s.db.QueryRow(ctx, "SELECT length(value), modified FROM certmagic_data WHERE key = $1", key).Scan(&size, &modified)
	if err == nil {
		return certmagic.KeyInfo{Key: key, Modified: modified, Size: size, IsTerminal: true}, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: stat %s: %w", key, err)
	}
	var dir bool
	err = s.db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM certmagic_data WHERE starts_with(key, $1 || '/'))", key).Scan(&dir)
	if err != nil {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: stat %s: %w", key, err)
	}
	if !dir {
		return certmagic.KeyInfo{}, fmt.Errorf("certs: %s: %w", key, fs.ErrNotExist)
	}
	return certmagic.KeyInfo{Key: key, IsTerminal: false}, nil
}

// String names the storage in certmagic's logs.
func (s *pgStorage) String() string { return "PostgreSQL" }
