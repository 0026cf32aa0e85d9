package stator_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// A row waiting in a state without a handler (an externally progressed
// one) moves to its time-out state after the declared age; a finished row
// is deleted after its age, in batches.
func TestTimesOutToAndDeleteAfter(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	g := stator.NewGraph("items", table)
	g.State("pending").TimesOutTo("expired", 300*time.Millisecond)
	g.State("expired").DeleteAfter(300 * time.Millisecond)
	g.State("kept").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 50 * time.Millisecond})
	insertRows(t, pool, table, 1, 500, "pending")
	insertRows(t, pool, table, 1001, 10, "kept")

	waitFor(t, 10*time.Second, "rows to expire", func() bool { return countIn(t, pool, table, "expired") > 0 })
	if n := countIn(t, pool, table, "pending"); n > 0 {
		waitFor(t, 10*time.Second, "all to expire", func() bool { return countIn(t, pool, table, "pending") == 0 })
	}
	waitFor(t, 10*time.Second, "expired rows to be deleted", func() bool { return countIn(t, pool, table, "expired") == 0 })
	if n := countIn(t, pool, table, "kept"); n != 10 {
		t.Fatalf("%d terminal rows without DeleteAfter remain, want 10", n)
	}
	r := getRow(t, pool, table, 1001)
	if r.next != nil {
		t.Errorf("a terminal row inserted as due keeps a schedule (%v): it would stay in the due index", r.next)
	}
}

// Shutdown stops claiming, lets a handler finish within the timeout,
// cancels one that does not, and releases the leases of every row it did
// not finish, so another runner takes them at once.
func TestGracefulShutdownReleasesLeases(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	var started atomic.Int32
	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) {
		started.Add(1)
		if it.ID == 1 {
			time.Sleep(100 * time.Millisecond) // finishes within the timeout
			return "done", nil
		}
		<-ctx.Done() // never finishes on its own
		return "", ctx.Err()
	}, "done")
	g.State("done").Terminal()
	stop := runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, Concurrency: 2,
		PollInterval: 10 * time.Second, ShutdownTimeout: 500 * time.Millisecond})
	insertRows(t, pool, table, 1, 6, "new") // 2 run, 4 wait in the local queue
	waitFor(t, 10*time.Second, "two handlers running", func() bool { return started.Load() >= 2 })

	begin := time.Now()
	stop()
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("shutdown took %s with a 500ms timeout", took)
	}
	if r := getRow(t, pool, table, 1); r.state != "done" {
		t.Errorf("the handler that finished within the timeout was not recorded: %s", r.state)
	}
	var leased, notDue, counted int
	pool.QueryRow(context.Background(), fmt.Sprintf(`SELECT
		count(*) FILTER (WHERE state_locked_until IS NOT NULL),
		count(*) FILTER (WHERE state_next_attempt IS NULL OR state_next_attempt > now()),
		count(*) FILTER (WHERE state_attempts > 0)
		FROM %s WHERE state = 'new'`, table)).Scan(&leased, &notDue, &counted)
	if leased != 0 || notDue != 0 || counted != 0 {
		t.Errorf("after shutdown: %d rows still leased, %d not due at once, %d with a failed attempt; want 0, 0, 0", leased, notDue, counted)
	}
	if n := countIn(t, pool, table, "new"); n != 5 {
		t.Fatalf("%d rows left in new, want 5", n)
	}

	// Another runner takes them at once, without waiting for any lease.
	g2 := stator.NewGraph("items", table)
	g2.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) { return "done", nil }, "done")
	g2.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g2}, PollInterval: 10 * time.Second})
	waitFor(t, 5*time.Second, "another runner to finish the released rows", func() bool { return countIn(t, pool, table, "done") == 6 })
}

// A lease that is not renewed (its runner is gone) ends, and the row comes
// back to the pool; a running handler's lease is renewed and kept.
func TestExpiredLeasesComeBackRenewedOnesStay(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	insertRows(t, pool, table, 1, 1, "new")
	// A claim by a runner that died: leased for one second, never renewed.
	pool.Exec(context.Background(), fmt.Sprintf(
		"UPDATE %s SET state_locked_until = now() + interval '1 second', state_next_attempt = now() + interval '1 second'", table))

	var calls atomic.Int32
	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) {
		calls.Add(1)
		time.Sleep(2500 * time.Millisecond) // longer than the lease: must be renewed
		return "done", nil
	}, "done")
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 100 * time.Millisecond, Lease: time.Second})
	runner(t, stator.Options{Pool: testkit.Pool(t, pool.Config().ConnString()), Graphs: []*stator.Graph{g}, PollInterval: 100 * time.Millisecond, Lease: time.Second})

	waitFor(t, 10*time.Second, "the row to be done", func() bool { return getRow(t, pool, table, 1).state == "done" })
	if n := calls.Load(); n != 1 {
		t.Errorf("the handler ran %d times: a renewed lease was taken by the other runner", n)
	}
}

// Graph.Move takes a row into a state from outside the engine and wakes
// runners; a handler result for the old state is then dropped.
func TestMove(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	g := stator.NewGraph("items", table)
	g.State("waiting").TimesOutTo("expired", time.Hour)
	g.State("accepted").Handle(func(ctx context.Context, it stator.Item) (string, error) { return "done", nil }, "done")
	g.State("expired").Terminal()
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "waiting")
	waitFor(t, 5*time.Second, "the wait to be scheduled", func() bool {
		r := getRow(t, pool, table, 1)
		return r.next != nil && time.Until(*r.next) > 50*time.Minute
	})
	if ok, err := g.Move(context.Background(), pool, 1, "accepted"); !ok || err != nil {
		t.Fatalf("Move = %v, %v", ok, err)
	}
	waitFor(t, 2*time.Second, "the moved row to be handled", func() bool { return getRow(t, pool, table, 1).state == "done" })
	if _, err := g.Move(context.Background(), pool, 1, "nonsense"); err == nil {
		t.Error("Move to an undeclared state was accepted")
	}
}

func TestGraphValidation(t *testing.T) {
	t.Parallel()
	noop := func(ctx context.Context, it stator.Item) (string, error) { return "", nil }
	cases := map[string]func(g *stator.Graph){
		"undeclared target":  func(g *stator.Graph) { g.State("a").Handle(noop, "b") },
		"handler, no target": func(g *stator.Graph) { g.State("a").Handle(noop) },
		"terminal handler":   func(g *stator.Graph) { g.State("a").Handle(noop, "a").Terminal() },
		"timeout target":     func(g *stator.Graph) { g.State("a").TimesOutTo("zzz", time.Second) },
		"delete handled":     func(g *stator.Graph) { g.State("a").Handle(noop, "a").DeleteAfter(time.Hour) },
	}
	for name, build := range cases {
		g := stator.NewGraph("g", "t")
		build(g)
		if err := g.Validate(); err == nil {
			t.Errorf("%s: Validate accepted it", name)
		}
	}
	if err := stator.NewGraph("Bad Name; DROP", "t").Validate(); err == nil {
		t.Error("an unsafe graph name was accepted")
	}
}

func TestKeyLimiter(t *testing.T) {
	t.Parallel()
	l := stator.NewKeyLimiter(2)
	r1, ok1 := l.TryAcquire("a.example")
	_, ok2 := l.TryAcquire("a.example")
	_, ok3 := l.TryAcquire("a.example")
	_, okB := l.TryAcquire("b.example")
	if !ok1 || !ok2 || ok3 || !okB {
		t.Fatalf("acquire results %v %v %v %v, want true true false true", ok1, ok2, ok3, okB)
	}
	r1()
	r1() // a second release is harmless
	if l.InUse("a.example") != 1 {
		t.Fatalf("in use after one release: %d", l.InUse("a.example"))
	}
	if _, ok := l.TryAcquire("a.example"); !ok {
		t.Fatal("a released slot was not reusable")
	}
}
