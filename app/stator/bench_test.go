package stator_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// BenchmarkNoopTransitions measures rows per second moved through one no-op
// handled state (new -> done) by one runner with 1, 4 and 16 workers.
func BenchmarkNoopTransitions(b *testing.B) {
	for _, workers := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			pool := testkit.DB(b)
			table := newTable(b, pool)
			rows := max(b.N, 1000)
			b.StopTimer()
			g := stator.NewGraph("items", table)
			g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) { return "done", nil }, "done")
			g.State("done").Terminal()
			runner(b, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, Concurrency: workers, PollInterval: time.Second})
			insertRows(b, pool, table, 1, rows, "new")
			start := time.Now()
			b.StartTimer()
			for countIn(b, pool, table, "done") < rows {
				time.Sleep(50 * time.Millisecond)
			}
			b.StopTimer()
			b.ReportMetric(float64(rows)/time.Since(start).Seconds(), "rows/s")
		})
	}
}

// BenchmarkIdleQueries measures the statements an idle runner sends while
// its table holds 1,000,000 finished rows, and logs the claim query's plan.
func BenchmarkIdleQueries(b *testing.B) {
	pool := testkit.DB(b)
	table := newTable(b, pool)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, fmt.Sprintf(`INSERT INTO %s (id, state, state_next_attempt)
		SELECT g, 'done', NULL FROM generate_series(1, 1000000) g`, table)); err != nil {
		b.Fatal(err)
	}
	pool.Exec(ctx, "ANALYZE "+table)
	var plan []string
	rows, _ := pool.Query(ctx, fmt.Sprintf(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT id FROM %s
		WHERE state_next_attempt <= now() AND state = ANY('{new,done}') ORDER BY state_next_attempt LIMIT 64 FOR UPDATE SKIP LOCKED`, table))
	for rows.Next() {
		var line string
		rows.Scan(&line)
		plan = append(plan, line)
	}
	rows.Close()
	b.Logf("claim plan with 1,000,000 finished rows:\n%s", strings.Join(plan, "\n"))

	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) { return "done", nil }, "done")
	g.State("done").Terminal()
	const poll = 200 * time.Millisecond
	// Count every statement the runner's pool sends, exactly, with a tracer.
	cfg, err := pgxpool.ParseConfig(pool.Config().ConnString())
	if err != nil {
		b.Fatal(err)
	}
	var sent atomic.Int64
	cfg.ConnConfig.Tracer = queryCounter{&sent}
	runPool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(runPool.Close)
	runner(b, stator.Options{Pool: runPool, Graphs: []*stator.Graph{g}, PollInterval: poll})
	time.Sleep(time.Second) // past start-up

	const window = 10 * time.Second
	b.ResetTimer()
	for range b.N {
		before := sent.Load()
		time.Sleep(window)
		n := sent.Load() - before
		b.ReportMetric(float64(n)/(float64(window)/float64(poll)), "queries/poll")
		b.ReportMetric(float64(n)/window.Seconds(), "queries/s")
	}
}

// queryCounter is a pgx tracer counting the statements sent.
type queryCounter struct{ n *atomic.Int64 }

func (q queryCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	q.n.Add(1)
	return ctx
}

func (q queryCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// BenchmarkPickupLatency measures the time from the commit of a new row to
// the start of its handler in an idle runner.
func BenchmarkPickupLatency(b *testing.B) {
	pool := testkit.DB(b)
	table := newTable(b, pool)
	started := make(chan time.Time, 1)
	runner(b, stator.Options{Pool: testkit.Pool(b, pool.Config().ConnString()),
		Graphs: []*stator.Graph{pickupGraph(table, started)}, PollInterval: time.Minute})
	time.Sleep(500 * time.Millisecond)
	var lat []time.Duration
	b.ResetTimer()
	for i := range max(b.N, 50) {
		committed := time.Now()
		insertRows(b, pool, table, i+1, 1, "new")
		lat = append(lat, (<-started).Sub(committed))
		time.Sleep(20 * time.Millisecond) // idle again
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
