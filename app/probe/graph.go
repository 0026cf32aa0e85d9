// Package probe measures the Stator fleet end to end. A probe is a row that
// goes through two handled states; each handler call records which process
// ran it and when. `pukeko stator probe` inserts a batch and reports how
// quickly the running Stator processes moved it, and how they shared the
// work: a check an operator can run against a live installation.
package probe

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/stator"
)

// Graph returns the probe graph: new -> checked -> done, deleted after a
// day.
func Graph(db *pgxpool.Pool) *stator.Graph {
	host, _ := os.Hostname()
	h := &handler{db: db, pid: os.Getpid(), host: host}
	g := stator.NewGraph("probe", "stator_probes")
	g.State("new").Handle(h.step("checked"), "checked").TimesOutTo("abandoned", time.Hour)
	g.State("checked").Handle(h.step("done"), "done").TimesOutTo("abandoned", time.Hour)
	g.State("done").DeleteAfter(24 * time.Hour)
	g.State("abandoned").DeleteAfter(24 * time.Hour)
	return g
}

type handler struct {
	db   *pgxpool.Pool
	pid  int
	host string
}

// step does the probe's simulated work and records the call.
func (h *handler) step(next string) stator.Handler {
	return func(ctx context.Context, it stator.Item) (string, error) {
		started := time.Now()
		var workMS int
		if err := h.db.QueryRow(ctx, "SELECT work_ms FROM stator_probes WHERE id = $1", it.ID).Scan(&workMS); err != nil {
			return "", fmt.Errorf("probe %d: %w", it.ID, err)
		}
		if workMS > 0 {
			select {
			case <-time.After(time.Duration(workMS) * time.Millisecond):
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		_, err := h.db.Exec(ctx, `INSERT INTO stator_probe_runs (probe_id, state, pid, host, started, finished)
			VALUES ($1, $2, $3, $4, $5, clock_timestamp())`, it.ID, it.State, h.pid, h.host, started)
		if err != nil {
			return "", fmt.Errorf("probe %d: recording the run: %w", it.ID, err)
		}
		return next, nil
	}
}
