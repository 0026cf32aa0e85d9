package stator

import (
	"context"
	"fmt"
	"time"
)

// statsLockKey is the advisory lock that elects the one runner collecting
// rows-by-state each interval ("statstat" in ASCII).
const statsLockKey int64 = 0x7374617473746174

// exactCountLimit is the table size (by the planner's estimate) up to which
// rows are counted in every state. Above it only the rows needing attention
// are counted (through the due index) and finished ones are left out, so
// that stats never scan a large table every minute.
const exactCountLimit = 200_000

// statsLoop writes this process's throughput every interval, and the
// rows-by-state table when it wins the election for this round.
func (r *Runner) statsLoop(ctx context.Context) {
	tick := time.NewTicker(r.opts.StatsInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		r.flushThroughput(ctx)
		if err := r.collectStats(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.Warn("stator: collecting stats failed", "error", err)
		}
	}
}

// flushThroughput adds this process's counts to the minute's row.
func (r *Runner) flushThroughput(ctx context.Context) {
	counts := r.metrics.takeMinute()
	if len(counts) == 0 {
		return
	}
	var graphs, states []string
	var handled, failed []int64
	for k, v := range counts {
		graphs, states = append(graphs, k[0]), append(states, k[1])
		handled, failed = append(handled, v[0]), append(failed, v[1])
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, err := r.opts.Pool.Exec(ctx, `INSERT INTO stator_throughput (graph, state, minute, handled, failed)
		SELECT g, s, date_trunc('minute', now()), h, f FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS u(g, s, h, f)
		ON CONFLICT (graph, state, minute) DO UPDATE
		SET handled = stator_throughput.handled + excluded.handled, failed = stator_throughput.failed + excluded.failed`,
		graphs, states, handled, failed)
	if err != nil {
		r.opts.Logger.Warn("stator: writing throughput failed", "error", err)
	}
}

// collectStats counts rows by state for every graph, if no other runner is
// doing so right now, and prunes throughput rows older than a week.
func (r *Runner) collectStats(ctx context.Context) error {
	conn, err := r.opts.Pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	var won bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", statsLockKey).Scan(&won); err != nil || !won {
		return err
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", statsLockKey)

	for _, gr := range r.graphs {
		var estimate float64
		if err := conn.QueryRow(ctx, "SELECT reltuples FROM pg_class WHERE oid = $1::regclass", gr.g.table).Scan(&estimate); err != nil {
			return fmt.Errorf("estimating %s: %w", gr.g.table, err)
		}
		scope := ""
		if estimate > exactCountLimit {
			scope = "WHERE state_next_attempt IS NOT NULL"
		}
		q := fmt.Sprintf(`WITH counted AS (
			SELECT state, count(*) AS rows,
			       count(*) FILTER (WHERE state_next_attempt <= now()) AS due,
			       coalesce(extract(epoch FROM now() - min(state_next_attempt) FILTER (WHERE state_next_attempt <= now())), 0) AS oldest
			FROM %s %s GROUP BY state
		), gone AS (
			DELETE FROM stator_stats WHERE graph = $1 AND state NOT IN (SELECT state FROM counted)
		)
		INSERT INTO stator_stats (graph, state, rows, due, oldest_due_seconds, collected)
		SELECT $1, state, rows, due, oldest, now() FROM counted
		ON CONFLICT (graph, state) DO UPDATE SET rows = excluded.rows, due = excluded.due,
			oldest_due_seconds = excluded.oldest_due_seconds, collected = excluded.collected`, gr.g.table, scope)
		if _, err := conn.Exec(ctx, q, gr.g.name); err != nil {
			return fmt.Errorf("counting %s: %w", gr.g.table, err)
		}
	}
	_, err = conn.Exec(ctx, "DELETE FROM stator_throughput WHERE minute < now() - interval '7 days'")
	return err
}
