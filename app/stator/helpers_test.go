package stator_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/stator"
)

var tableSeq atomic.Int64

// newTable creates a stateful table following the documented pattern.
func newTable(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	name := fmt.Sprintf("items_%d", tableSeq.Add(1))
	_, err := pool.Exec(context.Background(), fmt.Sprintf(`
		CREATE TABLE %[1]s (
			id                 bigint PRIMARY KEY,
			state              text NOT NULL DEFAULT 'new',
			state_changed      timestamptz NOT NULL DEFAULT now(),
			state_attempts     integer NOT NULL DEFAULT 0,
			state_next_attempt timestamptz DEFAULT now(),
			state_locked_until timestamptz,
			state_error        text
		);
		CREATE INDEX %[1]s_stator_due ON %[1]s (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
		CREATE TRIGGER %[1]s_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON %[1]s
			FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();`, name))
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func insertRows(t testing.TB, pool *pgxpool.Pool, table string, from, n int, state string) {
	t.Helper()
	_, err := pool.Exec(context.Background(),
		fmt.Sprintf("INSERT INTO %s (id, state) SELECT g, $3 FROM generate_series($1::bigint, $2::bigint) g", table),
		from, from+n-1, state)
	if err != nil {
		t.Fatal(err)
	}
}

func testLogger() *slog.Logger {
	if os.Getenv("PUKEKO_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// runner starts a runner in the background; the returned stop cancels it
// and waits for its graceful shutdown.
func runner(t testing.TB, opts stator.Options) (stop func()) {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger()
	}
	if opts.StatsInterval == 0 {
		opts.StatsInterval = -1
	}
	r, err := stator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("runner: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("runner did not stop within 30s")
		}
	}
	t.Cleanup(stop)
	return stop
}

type row struct {
	state    string
	attempts int
	err      *string
	next     *time.Time
	locked   *time.Time
	changed  time.Time
}

func getRow(t testing.TB, pool *pgxpool.Pool, table string, id int64) row {
	t.Helper()
	var r row
	err := pool.QueryRow(context.Background(), fmt.Sprintf(
		"SELECT state, state_attempts, state_error, state_next_attempt, state_locked_until, state_changed FROM %s WHERE id = $1", table), id).
		Scan(&r.state, &r.attempts, &r.err, &r.next, &r.locked, &r.changed)
	if err != nil {
		t.Fatalf("row %d: %v", id, err)
	}
	return r
}

// waitFor polls cond until it holds or the limit passes.
func waitFor(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func countIn(t testing.TB, pool *pgxpool.Pool, table, state string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), fmt.Sprintf("SELECT count(*) FROM %s WHERE state = $1", table), state).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
