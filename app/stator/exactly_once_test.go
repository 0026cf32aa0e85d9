package stator_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"pukeko/app/stator"
	"pukeko/app/testkit"
)

// Four runners, each with its own pool (as four processes would have),
// share 10,000 rows through two handled states: every row is handled
// exactly once in each state and never by two handlers at the same time.
func TestFourRunnersHandleEachRowOncePerState(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t)
	setup := testkit.Pool(t, url)
	table := newTable(t, setup)
	const rows = 10_000
	insertRows(t, setup, table, 1, rows, "new")

	var mu sync.Mutex
	handled := map[string]int{}
	inflight := map[int64]bool{}
	var overlaps []string
	handler := func(next string) stator.Handler {
		return func(ctx context.Context, it stator.Item) (string, error) {
			mu.Lock()
			if inflight[it.ID] {
				overlaps = append(overlaps, fmt.Sprintf("%d/%s", it.ID, it.State))
			}
			inflight[it.ID] = true
			handled[fmt.Sprintf("%d/%s", it.ID, it.State)]++
			mu.Unlock()
			if it.ID%97 == 0 {
				time.Sleep(time.Millisecond) // some slower rows, to mix the order
			}
			mu.Lock()
			delete(inflight, it.ID)
			mu.Unlock()
			return next, nil
		}
	}
	for range 4 {
		g := stator.NewGraph("items", table)
		g.State("new").Handle(handler("second"), "second")
		g.State("second").Handle(handler("done"), "done")
		g.State("done").Terminal()
		runner(t, stator.Options{Pool: testkit.Pool(t, url), Graphs: []*stator.Graph{g}, Concurrency: 4, PollInterval: time.Second})
	}
	waitFor(t, 2*time.Minute, "all rows done", func() bool { return countIn(t, setup, table, "done") == rows })

	mu.Lock()
	defer mu.Unlock()
	if len(overlaps) > 0 {
		t.Fatalf("%d rows were handled by two handlers at once, e.g. %v", len(overlaps), overlaps[:min(5, len(overlaps))])
	}
	for id := 1; id <= rows; id++ {
		for _, st := range []string{"new", "second"} {
			if n := handled[fmt.Sprintf("%d/%s", id, st)]; n != 1 {
				t.Fatalf("row %d was handled %d times in state %s", id, n, st)
			}
		}
	}
	var left int
	setup.QueryRow(context.Background(), fmt.Sprintf(
		"SELECT count(*) FROM %s WHERE state_next_attempt IS NOT NULL OR state_locked_until IS NOT NULL", table)).Scan(&left)
	if left != 0 {
		t.Errorf("%d finished rows are still scheduled or leased: they would stay in the due index", left)
	}
}
