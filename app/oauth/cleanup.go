package oauth

import (
	"context"
	"time"

	"pukeko/app/store"
)

// keepUsedCodes is how long codes are kept past expiry, so that a late
// replay is still recognised (and revokes its tokens).
const keepUsedCodes = 24 * time.Hour

// Cleanup deletes what has expired: authorization codes a day past their
// expiry, ended sessions, and login counters of past windows. Call it now
// and then (hourly is plenty); any process may, concurrently.
func (s *Server) Cleanup(ctx context.Context) error {
	if _, err := store.DeleteExpiredAuthorizationCodes(ctx, s.db, time.Now().Add(-keepUsedCodes)); err != nil {
		return err
	}
	if _, err := store.DeleteExpiredWebSessions(ctx, s.db); err != nil {
		return err
	}
	_, err := store.DeleteOldLoginAttempts(ctx, s.db, time.Now().Add(-2*s.opts.LoginWindow))
	return err
}
