package stator

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// claim takes up to n due rows with a lease and queues them. Rows locked by
// another runner's claim in progress are skipped, never waited for.
func (gr *graphRun) claim(ctx context.Context, n int) (int, error) {
	q := fmt.Sprintf(`WITH due AS (
		SELECT id FROM %[1]s
		WHERE state_next_attempt <= now() AND state = ANY($1)
		ORDER BY state_next_attempt
		LIMIT $2
		FOR UPDATE SKIP LOCKED
	)
	UPDATE %[1]s t
	SET state_locked_until = now() + $3 * interval '1 second',
	    state_next_attempt = now() + $3 * interval '1 second'
	FROM due WHERE t.id = due.id
	RETURNING t.id, t.state, t.state_attempts, t.state_changed, t.state_locked_until, now()`, gr.g.table)
	// Not the run context: a claim that shutdown cancelled after the server
	// committed it would leave its rows leased, unseen, for a whole lease.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	rows, err := gr.r.opts.Pool.Query(qctx, q, gr.states, n, gr.r.opts.Lease.Seconds())
	if err != nil {
		return 0, fmt.Errorf("stator: claim on %s: %w", gr.g.table, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (claimed, error) {
		c := claimed{lease: &lease{}}
		err := row.Scan(&c.ID, &c.State, &c.Attempts, &c.Changed, &c.lease.token, &c.dbNow)
		return c, err
	})
	if err != nil {
		return 0, fmt.Errorf("stator: claim on %s: %w", gr.g.table, err)
	}
	now := time.Now()
	gr.mu.Lock()
	for i := range items {
		items[i].claimedAt = now
		gr.leases[items[i].ID] = items[i].lease
	}
	gr.mu.Unlock()
	for _, c := range items {
		gr.queue <- c // never blocks: n was the room left
	}
	return len(items), nil
}

// release gives rows back without an attempt: due again at once, for any
// runner.
func (gr *graphRun) release(items []claimed) {
	ids := make([]int64, 0, len(items))
	tokens := make([]time.Time, 0, len(items))
	gr.renewMu.RLock()
	defer gr.renewMu.RUnlock()
	gr.mu.Lock()
	for _, it := range items {
		if gr.leases[it.ID] == it.lease {
			ids = append(ids, it.ID)
			tokens = append(tokens, it.lease.token)
			delete(gr.leases, it.ID)
		}
	}
	gr.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := gr.r.opts.Pool.Exec(ctx, fmt.Sprintf(`UPDATE %s t
		SET state_locked_until = NULL, state_next_attempt = now()
		FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, token)
		WHERE t.id = u.id AND t.state_locked_until = u.token`, gr.g.table), ids, tokens)
	if err != nil {
		gr.r.opts.Logger.Warn("stator: releasing leases failed; the rows return when their leases end",
			"graph", gr.g.name, "rows", len(ids), "error", err)
	}
}
