package stator_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// pickupGraph records when each row's handler started.
func pickupGraph(table string, started chan<- time.Time) *stator.Graph {
	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) {
		started <- time.Now()
		return "done", nil
	}, "done")
	g.State("done").Terminal()
	return g
}

// An idle runner whose poll interval is a minute picks a new row up at
// once: the commit's notification wakes it.
func TestIdleRunnerWakesOnNotify(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	started := make(chan time.Time, 10)
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{pickupGraph(table, started)}, PollInterval: time.Minute})
	waitListening(t, pool)

	for i := range 3 {
		committed := time.Now()
		insertRows(t, pool, table, i+1, 1, "new")
		select {
		case at := <-started:
			latency := at.Sub(committed)
			t.Logf("picked up %s after commit", latency)
			if latency > 2*time.Second {
				t.Errorf("picked up after %s: the notification did not wake the runner", latency)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("an idle runner did not pick up a new row within 10s (poll interval 1m)")
		}
	}
}

// With the notification lost (the trigger disabled), polling still picks
// the row up.
func TestPollingPicksUpWithoutNotify(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	if _, err := pool.Exec(context.Background(), fmt.Sprintf("ALTER TABLE %[1]s DISABLE TRIGGER %[1]s_stator_notify", table)); err != nil {
		t.Fatal(err)
	}
	started := make(chan time.Time, 10)
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{pickupGraph(table, started)}, PollInterval: 300 * time.Millisecond})
	waitListening(t, pool)
	time.Sleep(500 * time.Millisecond) // idle: the first poll has passed
	insertRows(t, pool, table, 1, 1, "new")
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("polling did not pick up a row without a notification")
	}
}

// The listener reconnects after its connection is killed, and wake-ups
// work again.
func TestListenerReconnects(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	started := make(chan time.Time, 10)
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{pickupGraph(table, started)}, PollInterval: time.Minute})
	first := waitListening(t, pool)
	if _, err := pool.Exec(context.Background(), "SELECT pg_terminate_backend($1)", first); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 15*time.Second, "a new listener connection", func() bool {
		var pid int
		err := pool.QueryRow(context.Background(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'pukeko-stator-listener'`).Scan(&pid)
		return err == nil && pid != first
	})
	waitListening(t, pool)
	committed := time.Now()
	insertRows(t, pool, table, 1, 1, "new")
	select {
	case at := <-started:
		if at.Sub(committed) > 2*time.Second {
			t.Errorf("after reconnecting, pick-up took %s", at.Sub(committed))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no pick-up after the listener reconnected (poll interval 1m)")
	}
}

// waitListening waits until the runner's listener connection has issued
// LISTEN, and returns its backend pid.
func waitListening(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var pid int
	waitFor(t, 10*time.Second, "the listener", func() bool {
		err := pool.QueryRow(context.Background(), `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'pukeko-stator-listener'
			AND query = 'LISTEN stator'`).Scan(&pid)
		return err == nil
	})
	return pid
}
