package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// IdempotencyWindow is how long an Idempotency-Key of POST
// /api/v1/statuses holds (Mastodon's hour).
const IdempotencyWindow = time.Hour

// idempotencyStale is how long a claim without a result is taken for a
// request in progress; after it the request is taken as lost.
const idempotencyStale = time.Minute

// IdempotentResult is what a request with an Idempotency-Key made: a post
// or a scheduled status (both 0 while the request is in progress).
type IdempotentResult struct {
	PostID      model.ID
	ScheduledID model.ID
}

// Done reports whether the request that claimed the key finished.
func (r IdempotentResult) Done() bool { return r.PostID != 0 || r.ScheduledID != 0 }

// ClaimIdempotencyKey claims key for a request of identity: claimed is
// true when this request is the first within IdempotencyWindow (or the
// one before was lost); otherwise prior says what the first one made, or
// that it is still in progress. Keys older than the window are dropped.
func ClaimIdempotencyKey(ctx context.Context, db DB, identityID model.ID, key string) (claimed bool, prior IdempotentResult, err error) {
	if _, err := db.Exec(ctx, `DELETE FROM idempotency_keys WHERE identity_id = $1 AND created < now() - $2 * interval '1 second'`,
		identityID, IdempotencyWindow.Seconds()); err != nil {
		return false, prior, fmt.Errorf("store: expiring idempotency keys of %d: %w", identityID, err)
	}
	tag, err := db.Exec(ctx, `INSERT INTO idempotency_keys (identity_id, key) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		identityID, key)
	if err != nil {
		return false, prior, fmt.Errorf("store: claiming idempotency key of %d: %w", identityID, err)
	}
	if tag.RowsAffected() == 1 {
		return true, prior, nil
	}
	tag, err = db.Exec(ctx, `UPDATE idempotency_keys SET created = now() WHERE identity_id = $1 AND key = $2
		AND post_id IS NULL AND scheduled_id IS NULL AND created < now() - $3 * interval '1 second'`,
		identityID, key, idempotencyStale.Seconds())
	if err != nil {
		return false, prior, fmt.Errorf("store: claiming idempotency key of %d: %w", identityID, err)
	}
	if tag.RowsAffected() == 1 {
		return true, prior, nil
	}
	prior, err = IdempotencyResult(ctx, db, identityID, key)
	return false, prior, err
}

// IdempotencyResult returns what the request that claimed key made so far.
func IdempotencyResult(ctx context.Context, db DB, identityID model.ID, key string) (IdempotentResult, error) {
	var r IdempotentResult
	err := db.QueryRow(ctx, `SELECT coalesce(post_id, 0), coalesce(scheduled_id, 0) FROM idempotency_keys
		WHERE identity_id = $1 AND key = $2`, identityID, key).Scan(&r.PostID, &r.ScheduledID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return r, fmt.Errorf("store: idempotency key of %d: %w", identityID, err)
	}
	return r, nil
}

// FinishIdempotencyKey records what the request that claimed key made.
func FinishIdempotencyKey(ctx context.Context, db DB, identityID model.ID, key string, r IdempotentResult) error {
	_, err := db.Exec(ctx, `UPDATE idempotency_keys SET post_id = nullif($3::bigint, 0), scheduled_id = nullif($4::bigint, 0)
		WHERE identity_id = $1 AND key = $2`, identityID, key, int64(r.PostID), int64(r.ScheduledID))
	if err != nil {
		return fmt.Errorf("store: finishing idempotency key of %d: %w", identityID, err)
	}
	return nil
}

// ReleaseIdempotencyKey gives up a claim whose request failed, so that
// the key may be used again.
func ReleaseIdempotencyKey(ctx context.Context, db DB, identityID model.ID, key string) error {
	_, err := db.Exec(ctx, `DELETE FROM idempotency_keys WHERE identity_id = $1 AND key = $2
		AND post_id IS NULL AND scheduled_id IS NULL`, identityID, key)
	if err != nil {
		return fmt.Errorf("store: releasing idempotency key of %d: %w", identityID, err)
	}
	return nil
}
