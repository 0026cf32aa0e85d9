package stator_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// peak tracks the most handlers running at once.
type peak struct {
	mu        sync.Mutex
	now, most int
}

func (p *peak) enter() {
	p.mu.Lock()
	p.now++
	p.most = max(p.most, p.now)
	p.mu.Unlock()
}

func (p *peak) leave() {
	p.mu.Lock()
	p.now--
	p.mu.Unlock()
}

// A graph's own limit and the process-wide limit both hold.
func TestConcurrencyLimits(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	slowTable, otherTable := newTable(t, pool), newTable(t, pool)
	var slow, all peak
	handler := func(own *peak) stator.Handler {
		return func(ctx context.Context, it stator.Item) (string, error) {
			own.enter()
			all.enter()
			time.Sleep(20 * time.Millisecond)
			all.leave()
			own.leave()
			return "done", nil
		}
	}
	var other peak
	g1 := stator.NewGraph("slow", slowTable).Concurrency(2)
	g1.State("new").Handle(handler(&slow), "done")
	g1.State("done").Terminal()
	g2 := stator.NewGraph("other", otherTable)
	g2.State("new").Handle(handler(&other), "done")
	g2.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g1, g2}, Concurrency: 5, PollInterval: time.Second})
	insertRows(t, pool, slowTable, 1, 40, "new")
	insertRows(t, pool, otherTable, 1, 60, "new")
	waitFor(t, 30*time.Second, "all done", func() bool {
		return countIn(t, pool, slowTable, "done") == 40 && countIn(t, pool, otherTable, "done") == 60
	})
	if slow.most != 2 {
		t.Errorf("the graph limited to 2 ran %d handlers at once", slow.most)
	}
	if all.most != 5 {
		t.Errorf("the process limited to 5 ran %d handlers at once", all.most)
	}
}

// NotImmediately makes the first attempt wait one backoff base.
func TestNotImmediately(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	started := make(chan time.Time, 1)
	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) { return "later", nil }, "later")
	g.State("later").Retry(stator.Backoff{Base: 700 * time.Millisecond, Max: time.Hour}).NotImmediately().
		Handle(func(ctx context.Context, it stator.Item) (string, error) { started <- time.Now(); return "done", nil }, "done")
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 100 * time.Millisecond})
	insertRows(t, pool, table, 1, 1, "new")
	waitFor(t, 5*time.Second, "the row to enter later", func() bool { return getRow(t, pool, table, 1).state != "new" })
	entered := time.Now()
	select {
	case at := <-started:
		if wait := at.Sub(entered); wait < 500*time.Millisecond {
			t.Errorf("a NotImmediately state was attempted after %s, want about 700ms", wait)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the delayed state was never attempted")
	}
}

// Stats: rows by state and the oldest due row land in stator_stats, handled
// and failed counts in stator_throughput, and both reach Prometheus.
func TestStatsAreCollected(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	g := stator.NewGraph("counted", table)
	g.State("new").Retry(stator.Backoff{Base: time.Hour, Max: time.Hour}).
		Handle(func(ctx context.Context, it stator.Item) (string, error) {
			if it.ID > 7 {
				return "", errors.New("stays failing")
			}
			return "done", nil
		}, "done")
	g.State("done").Terminal()
	reg := prometheus.NewRegistry()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: time.Second,
		StatsInterval: 200 * time.Millisecond, Metrics: reg})
	insertRows(t, pool, table, 1, 10, "new")
	waitFor(t, 10*time.Second, "stats for both states", func() bool {
		var done, waiting int
		pool.QueryRow(context.Background(), `SELECT
			coalesce(sum(rows) FILTER (WHERE state = 'done'), 0), coalesce(sum(rows) FILTER (WHERE state = 'new'), 0)
			FROM stator_stats WHERE graph = 'counted'`).Scan(&done, &waiting)
		return done == 7 && waiting == 3
	})
	waitFor(t, 10*time.Second, "throughput", func() bool {
		var handled, failed int
		pool.QueryRow(context.Background(), `SELECT coalesce(sum(handled), 0), coalesce(sum(failed), 0)
			FROM stator_throughput WHERE graph = 'counted'`).Scan(&handled, &failed)
		return handled == 10 && failed == 3
	})
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := ""
			for _, l := range m.GetLabel() {
				labels += l.GetName() + "=" + l.GetValue() + ","
			}
			v := m.GetGauge().GetValue() + m.GetCounter().GetValue()
			found[f.GetName()+"{"+labels+"}"] = v
		}
	}
	for key, want := range map[string]float64{
		"pukeko_stator_rows{graph=counted,state=done,}":         7,
		"pukeko_stator_rows{graph=counted,state=new,}":          3,
		"pukeko_stator_handled_total{graph=counted,state=new,}": 10,
		"pukeko_stator_failed_total{graph=counted,state=new,}":  3,
	} {
		if got, ok := found[key]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", key, got, ok, want)
		}
	}
}
