package database

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Connect opens a pool on url with at most maxConns connections, and waits
// for the database to answer: while it refuses connections (a server still
// starting, a network blip at boot) it retries with growing pauses, for at
// most timeout. The error names the server but never the password.
func Connect(ctx context.Context, url string, maxConns int, timeout time.Duration, logger *slog.Logger) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: invalid database URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = int32(maxConns)
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "pukeko"
	where := fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)

	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: unable to create a pool for %s: %w", where, err)
	}
	deadline := time.Now().Add(timeout)
	pause := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = pool.Ping(pingCtx)
		cancel()
		if err == nil {
			return pool, nil
		}
		if ctx.Err() != nil || time.Now().Add(pause).After(deadline) {
			pool.Close()
			return nil, fmt.Errorf("database: unable to reach PostgreSQL at %s after %d attempts over %s: %w",
				where, attempt, timeout, err)
		}
		logger.Warn("database not reachable yet, retrying", "server", where, "attempt", attempt, "retry_in", pause, "error", err)
		select {
		case <-time.After(pause):
		case <-ctx.Done():
		}
		pause = min(pause*2, 5*time.Second)
	}
}
