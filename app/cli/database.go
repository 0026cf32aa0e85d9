package cli

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/config"
	"pukeko/app/database"
	"pukeko/app/database/bundled"
	"pukeko/schema"
)

// claimWait is how long a process waits for another one (an administrative
// command) to finish with the bundled PostgreSQL before giving up.
const claimWait = 60 * time.Second

// db is an open database, with the bundled cluster behind it when this
// process started one.
type db struct {
	Pool      *pgxpool.Pool
	cluster   *bundled.Cluster
	ownership *bundled.Ownership
	logger    *slog.Logger
}

// openDatabase connects to the configured database. With the bundled
// PostgreSQL, the process that owns the cluster starts it; an
// administrative command run while `pukeko serve` owns it connects to the
// running one instead, and otherwise waits for its turn.
func openDatabase(ctx context.Context, cfg *config.Config, role string, logger *slog.Logger) (*db, error) {
	d := &db{logger: logger}
	url := cfg.Database.URL
	if cfg.Bundled() {
		var err error
		if url, err = d.bundledURL(ctx, cfg, role); err != nil {
			d.Close()
			return nil, err
		}
	}
	pool, err := database.Connect(ctx, url, cfg.Database.MaxConnections, cfg.Database.ConnectTimeout, logger)
	if err != nil {
		d.Close()
		return nil, err
	}
	d.Pool = pool
	return d, nil
}

func (d *db) bundledURL(ctx context.Context, cfg *config.Config, role string) (string, error) {
	runtimeDir := cfg.BundledRuntimeDir()
	passwordFile := filepath.Join(cfg.DataDir, "postgres.password")
	deadline := time.Now().Add(claimWait)
	for {
		own, owner, err := bundled.Claim(runtimeDir, role)
		if err != nil {
			return "", err
		}
		if own != nil {
			d.ownership = own
			d.cluster, err = bundled.Start(ctx, bundled.Options{
				DataDir:      cfg.Database.Bundled.DataDir,
				RuntimeDir:   runtimeDir,
				Binaries:     cfg.Database.Bundled.Binaries,
				DownloadDir:  filepath.Join(cfg.DataDir, "pg-binaries"),
				Port:         cfg.Database.Bundled.Port,
				PasswordFile: passwordFile,
				Logger:       d.logger,
			})
			if err != nil {
				return "", err
			}
			return d.cluster.URL(bundled.Database), nil
		}
		if owner.Role == "serve" || owner.Role == "stator" {
			// Long-running owners keep the cluster up: use theirs.
			if role == "serve" {
				return "", fmt.Errorf("the bundled PostgreSQL in %s is already run by pukeko %s (pid %d); "+
					"to run several servers, give them an external database (database.url)", cfg.Database.Bundled.DataDir, owner.Role, owner.PID)
			}
			d.logger.Debug("using the bundled PostgreSQL of the running server", "pid", owner.PID)
			pw, err := bundled.ReadPassword(passwordFile)
			if err != nil {
				return "", fmt.Errorf("bundled postgres: unable to read %s: %w", passwordFile, err)
			}
			return bundled.ConnURL(cfg.Database.Bundled.Port, pw, bundled.Database), nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("the bundled PostgreSQL is held by pukeko %s (pid %d) for more than %s", owner.Role, owner.PID, claimWait)
		}
		d.logger.Info("waiting for another pukeko command to finish with the bundled PostgreSQL", "pid", owner.PID, "command", owner.Role)
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Close closes the pool, then stops the bundled cluster if this process
// started it: the database goes last.
func (d *db) Close() {
	if d.Pool != nil {
		d.Pool.Close()
	}
	if d.cluster != nil {
		if err := d.cluster.Stop(context.Background()); err != nil {
			d.logger.Error("stopping the bundled PostgreSQL failed", "error", err)
		}
	}
	d.ownership.Release()
}

// migrations returns the schema files embedded in this binary.
func migrations() ([]database.Migration, error) {
	return database.LoadMigrations(schema.Files)
}

// requireSchema refuses to work on a database whose schema is not exactly
// this binary's.
func (d *db) requireSchema(ctx context.Context) error {
	migs, err := migrations()
	if err != nil {
		return err
	}
	return database.CheckSchema(ctx, d.Pool, migs)
}

// applyMigrations brings the schema up to date.
func (d *db) applyMigrations(ctx context.Context) ([]database.Migration, error) {
	migs, err := migrations()
	if err != nil {
		return nil, err
	}
	return database.Migrate(ctx, d.Pool, migs, d.logger)
}
