package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"pukeko/app/database"
	"pukeko/app/server"
	"pukeko/assets"
)

func runServe(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("serve", "[--config FILE]",
		"Run Pukeko: the web server for every domain and, with the bundled PostgreSQL, the database.\n"+
			"Stops gracefully on SIGINT or SIGTERM.", stdio)
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

	srv := server.New(server.Options{
		Logger:          logger,
		MaxBodyBytes:    cfg.Server.MaxBodyBytes,
		ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Ready: func(ctx context.Context) error {
			return database.CheckSchema(ctx, d.Pool, migs)
		},
	})
	srv.Handle("GET /robots.txt", http.FileServerFS(assets.Static))
	logger.Info("pukeko is serving", "listen", ln.Addr().String(), "main_domain", cfg.MainDomain,
		"config", cfg.Source, "startup", time.Since(started).Round(time.Millisecond))
	if err := srv.Serve(ctx, ln); err != nil {
		return err
	}
	logger.Info("pukeko stopped")
	return nil
}
