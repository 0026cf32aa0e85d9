package cli

import (
	"context"
	"fmt"
	"net"
	"time"

	"pukeko/app/node"
)

func runServe(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("serve", "[--config FILE] [--no-stator]",
		"Run Pukeko: the web server for every domain, the Stator task runner and, with the bundled\n"+
			"PostgreSQL, the database. Stops gracefully on SIGINT or SIGTERM.", stdio)
	noStator := fs.Bool("no-stator", false, "do not run the Stator task runner in this process (as stator.enabled: false)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdio)
	started := time.Now()
	if cfg.Server.PublicScheme == "http" {
		logger.Warn("server.public_scheme is http: every URI this server mints is plain HTTP, which other servers refuse; use it only for local testing")
	}

	// Bind while still root (ports below 1024), then drop privileges.
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("server.listen: %w", err)
	}
	defer ln.Close()
	if err := prepareProcess(cfg, logger); err != nil {
		return err
	}

	d, err := openDatabase(ctx, cfg, "serve", logger)
	if err != nil {
		return err
	}
	defer d.Close() // the database stops last, after everything using it
	if _, err := d.applyMigrations(ctx); err != nil {
		return err
	}
	n, err := node.New(cfg, d.Pool, logger, node.Options{Stator: cfg.Stator.Enabled && !*noStator})
	if err != nil {
		return err
	}
	if err := n.Prepare(ctx); err != nil {
		return err
	}
	logger.Info("pukeko is serving", "listen", ln.Addr().String(), "main_domain", cfg.MainDomain,
		"stator", n.Runner != nil, "config", cfg.Source, "startup", time.Since(started).Round(time.Millisecond))
	if err := n.Run(ctx, node.Listeners{Plain: ln}); err != nil {
		return err
	}
	logger.Info("pukeko stopped")
	return nil
}
