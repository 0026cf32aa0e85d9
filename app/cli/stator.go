package cli

import (
	"context"
	"fmt"
	"net"
	"time"

	"pukeko/app/node"
	"pukeko/app/probe"
	"pukeko/app/server"
	"pukeko/app/stator"
)

func runStator(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("stator", "[--graphs a,b] [--exclude c] [--listen ADDR]",
		"Run only the Stator task runner (no web server), for dedicated worker processes. Any number of\n"+
			"them, and of `pukeko serve` processes, may share one database.", stdio)
	only := fs.String("graphs", "", "run only these graphs (comma-separated)")
	exclude := fs.String("exclude", "", "run every graph but these (comma-separated)")
	listen := fs.String("listen", "", "serve /healthz, /readyz and /metrics on this `address` (default: none)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdio)
	var ln net.Listener
	if *listen != "" {
		if ln, err = net.Listen("tcp", *listen); err != nil {
			return fmt.Errorf("--listen: %w", err)
		}
		defer ln.Close()
	}
	if err := prepareProcess(cfg, logger); err != nil {
		return err
	}
	d, err := openDatabase(ctx, cfg, "stator", logger)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.requireSchema(ctx); err != nil {
		return err
	}
	n, err := node.New(cfg, d.Pool, logger, node.Options{
		Stator: true,
		Graphs: func(all []*stator.Graph) ([]*stator.Graph, error) { return selectGraphs(all, *only, *exclude) },
	})
	if err != nil {
		return err
	}
	if err := n.Prepare(ctx); err != nil {
		return err
	}
	if ln == nil {
		return n.Runner.Run(ctx)
	}
	// Only the probes and metrics: this process serves no site.
	srv := server.New(server.Options{
		Logger: logger, ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Metrics: n.Registry, MetricsToken: cfg.Metrics.Token,
		Ready: func(ctx context.Context) error { return d.requireSchema(ctx) },
	})
	return node.RunTogether(ctx, func(ctx context.Context) error { return srv.Serve(ctx, ln) }, n.Runner.Run)
}

func runStatorProbe(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("stator probe", "[--rows N] [--work DURATION] [--timeout DURATION]",
		"Measure the running Stator processes end to end: insert N probe rows, wait until they have moved\n"+
			"through two handled states, and report the rate, the pick-up latency and which processes did\n"+
			"the work. Needs `pukeko serve` or `pukeko stator` running against the same database.", stdio)
	rows := fs.Int("rows", 1000, "probe rows to insert")
	work := fs.Duration("work", 0, "simulated work per handler call")
	timeout := fs.Duration("timeout", 5*time.Minute, "give up after this long")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *rows < 1 || *rows > 1_000_000 {
		return fmt.Errorf("stator probe: --rows must be between 1 and 1000000: %w", errUsage)
	}
	s, err := openAdmin(ctx, *path, "stator-probe", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	d := s.db
	run, err := probe.Start(ctx, d.Pool, *rows, *work)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	report, err := probe.Wait(ctx, d.Pool, run, *rows)
	if report != nil {
		report.Print(stdio.Stdout)
	}
	return err
}
