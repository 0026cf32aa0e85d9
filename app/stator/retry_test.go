package stator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// A handler failing three times then succeeding: attempts are counted, the
// error is kept on the row, and the pauses between attempts follow the
// backoff (100ms, 200ms, 400ms).
func TestFailuresBackOff(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	var mu sync.Mutex
	var times []time.Time
	var seen []int
	g := stator.NewGraph("items", table)
	g.State("new").Retry(stator.Backoff{Base: 100 * time.Millisecond, Max: time.Hour}).
		Handle(func(ctx context.Context, it stator.Item) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			times = append(times, time.Now())
			seen = append(seen, it.Attempts)
			if len(times) <= 3 {
				return "", errors.New("remote server said 503")
			}
			return "done", nil
		}, "done")
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "new")

	waitFor(t, 10*time.Second, "first failure recorded", func() bool { return getRow(t, pool, table, 1).attempts >= 1 })
	r := getRow(t, pool, table, 1)
	if r.err == nil || !strings.Contains(*r.err, "503") || r.state != "new" {
		t.Errorf("after a failure: state %s, error %v", r.state, r.err)
	}
	waitFor(t, 10*time.Second, "success", func() bool { return getRow(t, pool, table, 1).state == "done" })
	r = getRow(t, pool, table, 1)
	if r.attempts != 0 || r.err != nil || r.next != nil {
		t.Errorf("after success: attempts %d, error %v, next %v; want 0, nil, nil", r.attempts, r.err, r.next)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(times) != 4 || seen[0] != 0 || seen[1] != 1 || seen[2] != 2 || seen[3] != 3 {
		t.Fatalf("attempts seen by the handler: %v (%d calls), want [0 1 2 3]", seen, len(times))
	}
	for i, want := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond} {
		got := times[i+1].Sub(times[i])
		// DefaultBackoff's jitter is replaced here (none set), so the pause
		// is at least the delay; the slack only absorbs scheduling.
		if got < want || got > want+time.Second {
			t.Errorf("pause before attempt %d: %s, want %s (+ scheduling)", i+2, got, want)
		}
	}
}

// A handler that always fails reaches the time-out state at its deadline,
// not at the retry after it.
func TestAlwaysFailingReachesFailureStateAtDeadline(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	g := stator.NewGraph("items", table)
	g.State("new").
		Retry(stator.Backoff{Base: 300 * time.Millisecond, Max: time.Hour}).
		TimesOutTo("failed", time.Second).
		Handle(func(ctx context.Context, it stator.Item) (string, error) {
			return "", errors.New("connection refused")
		}, "done")
	g.State("done").Terminal()
	g.State("failed").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "new")
	created := getRow(t, pool, table, 1).changed

	waitFor(t, 15*time.Second, "the failure state", func() bool { return getRow(t, pool, table, 1).state == "failed" })
	r := getRow(t, pool, table, 1)
	took := r.changed.Sub(created)
	// Attempts at 0, 0.3, 0.9s; the next would be at 2.1s: the deadline at
	// 1s must win.
	if took < time.Second || took > 1900*time.Millisecond {
		t.Errorf("moved to failed %s after entering new, want just after the 1s deadline", took)
	}
	if r.err == nil || !strings.Contains(*r.err, "timed out") || r.next != nil {
		t.Errorf("failed row: error %v, next %v", r.err, r.next)
	}
}

// A panicking handler is caught, recorded and retried; the runner lives on.
func TestPanicIsRecordedAndRetried(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	var calls sync.Map
	g := stator.NewGraph("items", table)
	g.State("new").Retry(stator.Backoff{Base: 50 * time.Millisecond, Max: time.Second}).
		Handle(func(ctx context.Context, it stator.Item) (string, error) {
			if _, again := calls.LoadOrStore(it.ID, true); !again {
				var m map[string]int
				m["boom"]++ // a real nil-map panic
			}
			return "done", nil
		}, "done")
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "new")

	waitFor(t, 10*time.Second, "the panic recorded", func() bool {
		r := getRow(t, pool, table, 1)
		return r.attempts == 1 || r.state == "done"
	})
	if r := getRow(t, pool, table, 1); r.state == "new" && (r.err == nil || !strings.Contains(*r.err, "panic: assignment to entry in nil map")) {
		t.Errorf("panic not recorded: %v", r.err)
	}
	waitFor(t, 10*time.Second, "the retry to succeed", func() bool { return getRow(t, pool, table, 1).state == "done" })
}

// A handler returning a state it did not declare does not move the row: the
// mistake is recorded as an error and retried.
func TestUndeclaredTransitionIsAnError(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	g := stator.NewGraph("items", table)
	g.State("new").Retry(stator.Backoff{Base: time.Hour, Max: time.Hour}).
		Handle(func(ctx context.Context, it stator.Item) (string, error) { return "failed", nil }, "done")
	g.State("done").Terminal()
	g.State("failed").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "new")

	waitFor(t, 10*time.Second, "the error recorded", func() bool { return getRow(t, pool, table, 1).attempts == 1 })
	r := getRow(t, pool, table, 1)
	if r.state != "new" || r.err == nil || !strings.Contains(*r.err, "undeclared transition new -> failed") {
		t.Errorf("row after an undeclared transition: state %s, error %v", r.state, r.err)
	}
	if r.next == nil || time.Until(*r.next) < 30*time.Minute {
		t.Errorf("the retry is not scheduled by the backoff: %v", r.next)
	}
}

// Defer reschedules without counting a failure.
func TestDeferDoesNotCountAsFailure(t *testing.T) {
	t.Parallel()
	pool := testkit.DB(t)
	table := newTable(t, pool)
	var calls sync.Map
	g := stator.NewGraph("items", table)
	g.State("new").Handle(func(ctx context.Context, it stator.Item) (string, error) {
		if n, _ := calls.LoadOrStore(it.ID, 0); n.(int) < 2 {
			calls.Store(it.ID, n.(int)+1)
			return "", stator.Defer(50 * time.Millisecond)
		}
		if it.Attempts != 0 {
			return "", errors.New("deferrals were counted as failures")
		}
		return "done", nil
	}, "done")
	g.State("done").Terminal()
	runner(t, stator.Options{Pool: pool, Graphs: []*stator.Graph{g}, PollInterval: 10 * time.Second})
	insertRows(t, pool, table, 1, 1, "new")
	waitFor(t, 10*time.Second, "done after two deferrals", func() bool { return getRow(t, pool, table, 1).state == "done" })
}

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	b := stator.Backoff{Base: 10 * time.Second, Max: 6 * time.Hour}
	for failures, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 4: 80 * time.Second, 13: 6 * time.Hour, 50: 6 * time.Hour} {
		if got := b.Delay(failures); got != want {
			t.Errorf("Delay(%d) = %s, want %s", failures, got, want)
		}
	}
	j := stator.Backoff{Base: time.Second, Max: time.Hour, Jitter: 0.2}
	seen := map[time.Duration]bool{}
	for range 50 {
		d := j.Delay(1)
		if d < 800*time.Millisecond || d > 1200*time.Millisecond {
			t.Fatalf("jittered delay %s outside ±20%% of 1s", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Error("jitter does not vary the delay")
	}
}
