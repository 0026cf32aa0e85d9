package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const remoteMediaColumns = `m.id, m.url, m.file_key, m.content_type, m.size, m.last_access, m.state`

func scanRemoteMedia(row pgx.Row) (*model.RemoteMedia, error) {
	var m model.RemoteMedia
	err := row.Scan(&m.ID, &m.URL, &m.FileKey, &m.ContentType, &m.Size, &m.LastAccess, &m.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &m, err
}

// QueueRemoteMedia notes remote media URLs to cache: new rows start in
// 'new' (Stator fetches them); known ones are left alone.
func QueueRemoteMedia(ctx context.Context, db DB, urls []string) error {
	if len(urls) == 0 {
		return nil
	}
	ids := make([]int64, len(urls))
	for k := range urls {
		ids[k] = int64(model.NewID())
	}
	_, err := db.Exec(ctx, `INSERT INTO remote_media (id, url)
		SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (url) DO NOTHING`, ids, urls)
	if err != nil {
		return fmt.Errorf("store: queueing remote media: %w", err)
	}
	return nil
}

// RemoteMediaByURL loads the cache entry of a URL, nil when none.
func RemoteMediaByURL(ctx context.Context, db DB, url string) (*model.RemoteMedia, error) {
	m, err := scanRemoteMedia(db.QueryRow(ctx, `SELECT `+remoteMediaColumns+` FROM remote_media m WHERE m.url = $1`, url))
	if err != nil {
		return nil, fmt.Errorf("store: remote media %s: %w", url, err)
	}
	return m, nil
}

// RemoteMediaByID loads one cache entry, nil when none.
func RemoteMediaByID(ctx context.Context, db DB, id model.ID) (*model.RemoteMedia, error) {
	m, err := scanRemoteMedia(db.QueryRow(ctx, `SELECT `+remoteMediaColumns+` FROM remote_media m WHERE m.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: remote media %d: %w", id, err)
	}
	return m, nil
}

// SaveRemoteMediaFile records the stored copy of a remote file.
func SaveRemoteMediaFile(ctx context.Context, db DB, id model.ID, key, contentType string, size int64) error {
	_, err := db.Exec(ctx, `UPDATE remote_media SET file_key = $2, content_type = $3, size = $4, last_access = now()
		WHERE id = $1`, id, key, contentType, size)
	if err != nil {
		return fmt.Errorf("store: caching remote media %d: %w", id, err)
	}
	return nil
}

// TouchRemoteMedia records a read of a cached file for the LRU order, at
// most once a minute per file so that popular files cost no write per
// request.
func TouchRemoteMedia(ctx context.Context, db DB, id model.ID) error {
	_, err := db.Exec(ctx, `UPDATE remote_media SET last_access = now()
		WHERE id = $1 AND last_access < now() - interval '1 minute'`, id)
	if err != nil {
		return fmt.Errorf("store: touching remote media %d: %w", id, err)
	}
	return nil
}

// RemoteCacheSize is the total size of the cached remote files: those
// with a stored file, including one whose caching handler has stored it
// but not yet moved it to 'cached'.
func RemoteCacheSize(ctx context.Context, db DB) (int64, error) {
	var n int64
	if err := db.QueryRow(ctx, `SELECT coalesce(sum(size), 0) FROM remote_media WHERE file_key <> ''`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: remote cache size: %w", err)
	}
	return n, nil
}

// EvictLeastRecentlyUsed evicts cached remote files, least recently used
// first, until at least bytes are freed; it returns the bytes freed. An
// evicted entry forgets its file (the media_files graph deletes it when
// nothing else names it) and is fetched again when next asked for; its
// size stays as a record (sums count only 'cached' rows).
func EvictLeastRecentlyUsed(ctx context.Context, db DB, bytes int64) (int64, error) {
	var freed int64
	err := db.QueryRow(ctx, `WITH lru AS (
			SELECT id, sum(size) OVER (ORDER BY last_access, id) - size AS before
			FROM remote_media WHERE state = 'cached' ORDER BY last_access, id
		), victims AS (
			SELECT id FROM lru WHERE before < $1
		), evicted AS (
			UPDATE remote_media m SET state = 'evicted', file_key = '', state_changed = now(),
				state_next_attempt = NULL, state_attempts = 0
			FROM victims v WHERE m.id = v.id AND m.state = 'cached'
			RETURNING m.size
		) SELECT coalesce(sum(size), 0) FROM evicted`, bytes).Scan(&freed)
	if err != nil {
		return 0, fmt.Errorf("store: evicting remote media: %w", err)
	}
	return freed, nil
}
