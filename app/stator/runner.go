package stator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// Options configures a Runner.
type Options struct {
	Pool            *pgxpool.Pool
	Graphs          []*Graph
	Concurrency     int           // handlers running at once in this process; default 16
	PollInterval    time.Duration // backstop when no notification arrives; default 5s
	Lease           time.Duration // how long a claim is reserved; default 2m
	ShutdownTimeout time.Duration // how long running handlers get at shutdown; default 30s
	StatsInterval   time.Duration // how often stats are written; default 1m; negative disables
	Logger          *slog.Logger
	Metrics         prometheus.Registerer // optional
}

// Runner claims due rows of its graphs and runs their handlers.
type Runner struct {
	opts    Options
	slots   chan struct{} // the global limit of running handlers
	graphs  []*graphRun
	byTable map[string]*graphRun
	metrics *metrics
}

// New checks the graphs and prepares a runner.
func New(opts Options) (*Runner, error) {
	if opts.Pool == nil || opts.Logger == nil {
		return nil, errors.New("stator: Pool and Logger are required")
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = 16
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 5 * time.Second
	}
	if opts.Lease <= 0 {
		opts.Lease = 2 * time.Minute
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = 30 * time.Second
	}
	if opts.StatsInterval == 0 {
		opts.StatsInterval = time.Minute
	}
	r := &Runner{
		opts:    opts,
		slots:   make(chan struct{}, opts.Concurrency),
		byTable: map[string]*graphRun{},
	}
	var err error
	if r.metrics, err = newMetrics(opts.Metrics, opts.Pool); err != nil {
		return nil, err
	}
	for _, g := range opts.Graphs {
		if err := g.Validate(); err != nil {
			return nil, err
		}
		if _, dup := r.byTable[g.table]; dup {
			return nil, fmt.Errorf("stator: two graphs on table %s", g.table)
		}
		gr := newGraphRun(r, g)
		r.graphs = append(r.graphs, gr)
		r.byTable[g.table] = gr
	}
	return r, nil
}

// Run works until ctx is cancelled, then shuts down gracefully: it stops
// claiming, gives running handlers ShutdownTimeout to finish, cancels the
// rest, writes every outcome it has and releases the leases of rows it did
// not finish, so other runners take them at once.
func (r *Runner) Run(ctx context.Context) error {
	if len(r.graphs) == 0 {
		<-ctx.Done()
		return nil
	}
	names := make([]string, len(r.graphs))
	for i, gr := range r.graphs {
		names[i] = gr.g.name
	}
	r.opts.Logger.Info("stator running", "graphs", names, "concurrency", r.opts.Concurrency,
		"poll_interval", r.opts.PollInterval, "lease", r.opts.Lease)

	// Handlers get their own context: cancelling ctx stops claiming, but
	// running handlers may finish within ShutdownTimeout.
	handlerCtx, hardStop := context.WithCancel(context.Background())
	defer hardStop()

	var background sync.WaitGroup
	background.Go(func() { r.listen(ctx) })
	if r.opts.StatsInterval > 0 {
		background.Go(func() { r.statsLoop(ctx) })
	}
	var loops sync.WaitGroup
	for _, gr := range r.graphs {
		gr.handlerCtx = handlerCtx
		gr.start(ctx, &loops)
	}

	<-ctx.Done()
	r.opts.Logger.Info("stator stopping: no new work, waiting for running handlers", "timeout", r.opts.ShutdownTimeout)
	loops.Wait() // claimers and dispatchers have stopped
	done := make(chan struct{})
	go func() {
		for _, gr := range r.graphs {
			gr.running.Wait()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(r.opts.ShutdownTimeout):
		r.opts.Logger.Warn("stator: handlers still running after the shutdown timeout; cancelling them")
		hardStop()
		<-done
	}
	for _, gr := range r.graphs {
		gr.finish()
	}
	background.Wait()
	r.flushThroughput(context.Background())
	r.opts.Logger.Info("stator stopped")
	return nil
}

// wakeAll makes every graph look for due rows now.
func (r *Runner) wakeAll() {
	for _, gr := range r.graphs {
		gr.wakeUp()
	}
}
