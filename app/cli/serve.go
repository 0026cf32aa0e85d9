package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"pukeko/app/database"
	"pukeko/app/metrics"
	"pukeko/app/server"
	"pukeko/app/stator"
	"pukeko/assets"
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
	migs, err := migrations()
	if err != nil {
		return err
	}

	reg := metrics.New()
	var runner *stator.Runner
	if cfg.Stator.Enabled && !*noStator {
		if runner, err = newRunner(cfg, d, allGraphs(d.Pool), reg, logger); err != nil {
			return err
		}
	}
	srv := server.New(server.Options{
		Logger:          logger,
		MaxBodyBytes:    cfg.Server.MaxBodyBytes,
		ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Metrics:         reg,
		MetricsToken:    cfg.Metrics.Token,
		Ready: func(ctx context.Context) error {
			return database.CheckSchema(ctx, d.Pool, migs)
		},
	})
	srv.Handle("GET /robots.txt", http.FileServerFS(assets.Static))
	logger.Info("pukeko is serving", "listen", ln.Addr().String(), "main_domain", cfg.MainDomain,
		"stator", runner != nil, "config", cfg.Source, "startup", time.Since(started).Round(time.Millisecond))

	// The web server and Stator stop together on the signal; the deferred
	// Close then stops the database after both.
	parts := []func(context.Context) error{func(ctx context.Context) error { return srv.Serve(ctx, ln) }}
	if runner != nil {
		parts = append(parts, runner.Run)
	}
	if err := runTogether(ctx, parts...); err != nil {
		return err
	}
	logger.Info("pukeko stopped")
	return nil
}
