package cli

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"pukeko/app/config"
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
	ls, err := bindListeners(cfg)
	if err != nil {
		return err
	}
	defer ls.close()
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
	logger.Info("pukeko is serving", "listen", ls.describe(), "tls", cfg.Server.TLS.Mode, "main_domain", cfg.MainDomain,
		"stator", n.Runner != nil, "config", cfg.Source, "startup", time.Since(started).Round(time.Millisecond))
	if err := n.Run(ctx, ls.Listeners); err != nil {
		return err
	}
	logger.Info("pukeko stopped")
	return nil
}

// boundListeners are the node's listeners, bound before dropping root.
type boundListeners struct{ node.Listeners }

// bindListeners binds what the TLS mode needs: server.listen in mode off;
// server.tls.https_listen and http_listen in modes auto and files.
func bindListeners(cfg *config.Config) (*boundListeners, error) {
	b := &boundListeners{}
	listen := func(key, addr string) (net.Listener, error) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			b.close()
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		return ln, nil
	}
	var err error
	if cfg.Server.TLS.Mode == "off" {
		b.Plain, err = listen("server.listen", cfg.Server.Listen)
		return b, err
	}
	if b.HTTPS, err = listen("server.tls.https_listen", cfg.Server.TLS.HTTPSListen); err != nil {
		return nil, err
	}
	if b.HTTP, err = listen("server.tls.http_listen", cfg.Server.TLS.HTTPListen); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *boundListeners) close() {
	for _, ln := range []net.Listener{b.Plain, b.HTTPS, b.HTTP} {
		if ln != nil {
			ln.Close()
		}
	}
}

func (b *boundListeners) describe() string {
	var parts []string
	for _, ln := range []net.Listener{b.Plain, b.HTTPS, b.HTTP} {
		if ln != nil {
			parts = append(parts, ln.Addr().String())
		}
	}
	return strings.Join(parts, ",")
}
