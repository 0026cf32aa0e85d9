package database

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationLockKey is the advisory lock every migrating process takes, so
// that two processes starting at once apply each migration exactly once.
// The value is arbitrary but fixed forever ("pukeko" in ASCII).
const migrationLockKey int64 = 0x70756b656b6f

const createMigrationTable = `CREATE TABLE IF NOT EXISTS pukeko_migrations (
	version    integer PRIMARY KEY,
	name       text NOT NULL,
	checksum   text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`

// ErrSchemaNewer means the database was migrated by a newer Pukeko than this
// binary: running would risk writing rows the newer schema does not expect.
var ErrSchemaNewer = errors.New("database schema is newer than this binary")

// ErrMigrationChanged means a migration that already ran was edited since.
var ErrMigrationChanged = errors.New("an applied migration has changed")

// ErrSchemaPending means migrations remain to be applied.
var ErrSchemaPending = errors.New("database schema is not current")

type appliedMigration struct {
	version  int
	name     string
	checksum string
}

// Migrate applies every pending migration, each in its own transaction and
// recorded with its checksum, holding a session advisory lock throughout. It
// refuses to run when the database holds a migration this binary does not
// know, or one whose file has changed since it was applied. It returns the
// migrations it applied (none when the schema was already current).
func Migrate(ctx context.Context, pool *pgxpool.Pool, migs []Migration, logger *slog.Logger) ([]Migration, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrations: unable to get a connection: %w", err)
	}
	defer conn.Release()

	// A session lock, not a transaction lock: it must span several
	// transactions. If the connection dies, PostgreSQL releases it.
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return nil, fmt.Errorf("migrations: unable to take the migration lock: %w", err)
	}
	defer func() {
		// Use a fresh context: the caller's may be cancelled already.
		unlockCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(unlockCtx, "SELECT pg_advisory_unlock($1)", migrationLockKey); err != nil {
			conn.Conn().Close(unlockCtx) // closing the session releases the lock too
		}
	}()

	if _, err := conn.Exec(ctx, createMigrationTable); err != nil {
		return nil, fmt.Errorf("migrations: unable to create the bookkeeping table: %w", err)
	}
	applied, err := readApplied(ctx, conn.Conn())
	if err != nil {
		return nil, err
	}
	if err := verifyApplied(applied, migs); err != nil {
		return nil, err
	}

	var done []Migration
	for _, m := range migs[len(applied):] {
		start := time.Now()
		if err := applyOne(ctx, conn.Conn(), m); err != nil {
			return done, err
		}
		logger.Info("migration applied", "version", m.Version, "name", m.Name, "duration", time.Since(start).Round(time.Millisecond))
		done = append(done, m)
	}
	return done, nil
}

func applyOne(ctx context.Context, conn *pgx.Conn, m Migration) error {
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		// No arguments: pgx uses the simple protocol, so a file may hold
		// several statements.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return err
		}
		_, err := tx.Exec(ctx,
			"INSERT INTO pukeko_migrations (version, name, checksum) VALUES ($1, $2, $3)",
			m.Version, m.Name, m.Checksum)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrations: %s failed, nothing of it was applied: %w", m.Name, err)
	}
	return nil
}

// CheckSchema reports whether the database is exactly at the schema of migs:
// nil when it is, an error wrapping ErrSchemaPending, ErrSchemaNewer or
// ErrMigrationChanged otherwise. It changes nothing.
func CheckSchema(ctx context.Context, pool *pgxpool.Pool, migs []Migration) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	defer conn.Release()
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('pukeko_migrations') IS NOT NULL").Scan(&exists); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	if !exists {
		return fmt.Errorf("%w: %d migrations pending (run `pukeko migrate`)", ErrSchemaPending, len(migs))
	}
	applied, err := readApplied(ctx, conn.Conn())
	if err != nil {
		return err
	}
	if err := verifyApplied(applied, migs); err != nil {
		return err
	}
	if pending := len(migs) - len(applied); pending > 0 {
		return fmt.Errorf("%w: %d migrations pending (run `pukeko migrate`)", ErrSchemaPending, pending)
	}
	return nil
}

func readApplied(ctx context.Context, conn *pgx.Conn) ([]appliedMigration, error) {
	rows, err := conn.Query(ctx, "SELECT version, name, checksum FROM pukeko_migrations ORDER BY version")
	if err != nil {
		return nil, fmt.Errorf("migrations: unable to read applied migrations: %w", err)
	}
	applied, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (appliedMigration, error) {
		var a appliedMigration
		err := row.Scan(&a.version, &a.name, &a.checksum)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("migrations: unable to read applied migrations: %w", err)
	}
	return applied, nil
}

// verifyApplied checks the applied history against the files of this build.
func verifyApplied(applied []appliedMigration, migs []Migration) error {
	for i, a := range applied {
		if a.version != i+1 {
			return fmt.Errorf("migrations: the history is broken: found version %d where %d was expected", a.version, i+1)
		}
		if a.version > len(migs) {
			return fmt.Errorf("%w: the database is at version %d (%s) but this binary knows %d migrations; run a newer pukeko or restore a matching backup",
				ErrSchemaNewer, applied[len(applied)-1].version, applied[len(applied)-1].name, len(migs))
		}
		m := migs[i]
		if m.Checksum != a.checksum {
			return fmt.Errorf("%w: %s was applied with checksum %.12s but the file now has %.12s; landed migrations must never be edited, add a new one instead",
				ErrMigrationChanged, m.Name, a.checksum, m.Checksum)
		}
	}
	return nil
}
