package stator

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxCommitBatch bounds one write of outcomes.
const maxCommitBatch = 256

// commitLoop writes outcomes in batches: whatever has arrived while the
// previous batch was being written goes in the next one, so a busy graph
// writes many rows per round trip and an idle one writes at once.
func (gr *graphRun) commitLoop() {
	defer close(gr.committed)
	for o := range gr.outcomes {
		batch := []outcome{o}
	gather:
		for len(batch) < maxCommitBatch {
			select {
			case o, ok := <-gr.outcomes:
				if !ok {
					break gather
				}
				batch = append(batch, o)
			default:
				break gather
			}
		}
		gr.commit(batch)
	}
}

// commit writes a batch, retrying while the database is unreachable for at
// most one lease: after that the rows are someone else's to handle again.
func (gr *graphRun) commit(batch []outcome) {
	deadline := time.Now().Add(gr.r.opts.Lease)
	pause := 100 * time.Millisecond
	for {
		lost, err := gr.write(batch)
		if err == nil {
			if lost > 0 {
				gr.r.opts.Logger.Warn("stator: outcomes dropped: their leases ended and the rows were claimed again or moved",
					"graph", gr.g.name, "rows", lost)
			}
			break
		}
		if time.Now().Add(pause).After(deadline) {
			gr.r.opts.Logger.Error("stator: unable to record outcomes; the rows will be handled again",
				"graph", gr.g.name, "rows", len(batch), "error", err)
			break
		}
		gr.r.opts.Logger.Warn("stator: recording outcomes failed, retrying", "graph", gr.g.name, "error", err, "retry_in", pause)
		time.Sleep(pause)
		pause = min(pause*2, 5*time.Second)
	}
	gr.mu.Lock()
	soonest := time.Duration(-1)
	for _, o := range batch {
		if gr.leases[o.id] == o.lease {
			delete(gr.leases, o.id)
		}
		if !o.delete && o.delay != nil && *o.delay > 0 && (soonest < 0 || *o.delay < soonest) {
			soonest = *o.delay
		}
	}
	gr.mu.Unlock()
	// A retry due before the next poll would wait for it: no notification
	// fires for a future time. Wake up when it is due instead.
	if soonest > 0 && soonest < gr.r.opts.PollInterval {
		time.AfterFunc(soonest, gr.wakeUp)
	}
}

// write sends the deletions and the updates of a batch in one round trip,
// each conditioned on the lease token, and returns how many rows were no
// longer ours.
func (gr *graphRun) write(batch []outcome) (lost int, err error) {
	// Renewals change lease tokens only under the write lock: the tokens
	// read here stay the current ones until the batch is written.
	gr.renewMu.RLock()
	defer gr.renewMu.RUnlock()

	var delIDs []int64
	var delTokens []time.Time
	var ids []int64
	var tokens []time.Time
	var states []string
	var changed []bool
	var attempts []int32
	var errs []*string
	var delays []*float64
	for _, o := range batch {
		if o.delete {
			delIDs = append(delIDs, o.id)
			delTokens = append(delTokens, o.lease.token)
			continue
		}
		ids = append(ids, o.id)
		tokens = append(tokens, o.lease.token)
		states = append(states, o.state)
		changed = append(changed, o.changed)
		attempts = append(attempts, int32(o.attempts))
		errs = append(errs, o.errText)
		if o.delay != nil {
			s := o.delay.Seconds()
			delays = append(delays, &s)
		} else {
			delays = append(delays, nil)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b := &pgx.Batch{}
	if len(delIDs) > 0 {
		b.Queue(fmt.Sprintf(`DELETE FROM %s t USING unnest($1::bigint[], $2::timestamptz[]) AS u(id, token)
			WHERE t.id = u.id AND t.state_locked_until = u.token`, gr.g.table), delIDs, delTokens)
	}
	if len(ids) > 0 {
		b.Queue(fmt.Sprintf(`UPDATE %s t SET
			state = u.state,
			state_changed = CASE WHEN u.changed THEN now() ELSE t.state_changed END,
			state_attempts = u.attempts,
			state_error = u.error,
			state_locked_until = NULL,
			state_next_attempt = now() + u.delay * interval '1 second'
		FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::bool[], $5::int[], $6::text[], $7::float8[])
			AS u(id, token, state, changed, attempts, error, delay)
		WHERE t.id = u.id AND t.state_locked_until = u.token`, gr.g.table),
			ids, tokens, states, changed, attempts, errs, delays)
	}
	res := gr.r.opts.Pool.SendBatch(ctx, b)
	defer res.Close()
	written := 0
	for range b.Len() {
		tag, err := res.Exec()
		if err != nil {
			return 0, fmt.Errorf("stator: writing outcomes of %s: %w", gr.g.table, err)
		}
		written += int(tag.RowsAffected())
	}
	return len(batch) - written, nil
}

// renewLoop extends the leases of claimed rows every third of a lease, so
// a long handler keeps its rows while a crashed runner's rows come back.
func (gr *graphRun) renewLoop(ctx context.Context) {
	tick := time.NewTicker(gr.r.opts.Lease / 3)
	defer tick.Stop()
	for {
		select {
		case <-gr.committed:
			return
		case <-tick.C:
			gr.renew()
		}
	}
}

func (gr *graphRun) renew() {
	gr.renewMu.Lock()
	defer gr.renewMu.Unlock()
	gr.mu.Lock()
	ids := make([]int64, 0, len(gr.leases))
	tokens := make([]time.Time, 0, len(gr.leases))
	held := make(map[int64]*lease, len(gr.leases))
	for id, l := range gr.leases {
		ids = append(ids, id)
		tokens = append(tokens, l.token)
		held[id] = l
	}
	gr.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), gr.r.opts.Lease/3)
	defer cancel()
	rows, err := gr.r.opts.Pool.Query(ctx, fmt.Sprintf(`UPDATE %s t
		SET state_locked_until = now() + $3 * interval '1 second',
		    state_next_attempt = now() + $3 * interval '1 second'
		FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, token)
		WHERE t.id = u.id AND t.state_locked_until = u.token
		RETURNING t.id, t.state_locked_until`, gr.g.table), ids, tokens, gr.r.opts.Lease.Seconds())
	if err != nil {
		gr.r.opts.Logger.Warn("stator: renewing leases failed", "graph", gr.g.name, "rows", len(ids), "error", err)
		return
	}
	renewed := map[int64]time.Time{}
	var id int64
	var tok time.Time
	_, err = pgx.ForEachRow(rows, []any{&id, &tok}, func() error { renewed[id] = tok; return nil })
	if err != nil {
		gr.r.opts.Logger.Warn("stator: renewing leases failed", "graph", gr.g.name, "error", err)
		return
	}
	gr.mu.Lock()
	for id, l := range held {
		if tok, ok := renewed[id]; ok {
			l.token = tok
		} else if gr.leases[id] == l {
			delete(gr.leases, id) // lost: stop renewing it
		}
	}
	gr.mu.Unlock()
	if lost := len(ids) - len(renewed); lost > 0 {
		gr.r.opts.Logger.Warn("stator: leases lost before renewal (rows moved or claimed elsewhere)", "graph", gr.g.name, "rows", lost)
	}
}
