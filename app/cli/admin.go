package cli

import (
	"context"
	"log/slog"

	"pukeko/app/config"
)

// adminSession is what an administrative command works with: the loaded
// configuration, a logger and an open database at the current schema.
type adminSession struct {
	cfg    *config.Config
	logger *slog.Logger
	db     *db
}

// openAdmin loads the configuration from path, drops privileges when root,
// and opens the database (the running server's bundled one, if any),
// refusing a schema that is not this binary's. Close it when done.
func openAdmin(ctx context.Context, path, role string, stdio IO) (*adminSession, error) {
	cfg, err := loadConfig(path)
	if err != nil {
		return nil, err
	}
	logger := newLogger(cfg, stdio)
	if err := prepareProcess(cfg, logger); err != nil {
		return nil, err
	}
	d, err := openDatabase(ctx, cfg, role, logger)
	if err != nil {
		return nil, err
	}
	if err := d.requireSchema(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return &adminSession{cfg: cfg, logger: logger, db: d}, nil
}

func (s *adminSession) Close() { s.db.Close() }
