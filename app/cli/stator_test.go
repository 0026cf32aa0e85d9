package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/testkit"
)

// probeCounts reads, from the probe runs, how many rows are done, the
// largest number of handler calls for one row in one state, and the calls
// per process.
func probeCounts(t *testing.T, pool *pgxpool.Pool) (done, maxPerState int, byPID map[int]int) {
	t.Helper()
	ctx := context.Background()
	pool.QueryRow(ctx, "SELECT count(*) FROM stator_probes WHERE state = 'done'").Scan(&done)
	pool.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM stator_probe_runs GROUP BY probe_id, state) c`).Scan(&maxPerState)
	byPID = map[int]int{}
	rows, err := pool.Query(ctx, "SELECT pid, count(*) FROM stator_probe_runs GROUP BY pid")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, n int
		rows.Scan(&pid, &n)
		byPID[pid] = n
	}
	return done, maxPerState, byPID
}

// Two separate `pukeko stator` processes share 10,000 probe rows: every row
// is handled exactly once in each of its two handled states, by one of the
// two processes, and both take part.
func TestTwoStatorProcessesShareWork(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t)
	a := newInstance(t, "PUKEKO_DATABASE_URL="+url, "PUKEKO_STATOR_CONCURRENCY=8")
	b := newInstance(t, "PUKEKO_DATABASE_URL="+url, "PUKEKO_STATOR_CONCURRENCY=8")
	a.start("stator")
	b.start("stator")
	waitLog(t, a, "stator running")
	waitLog(t, b, "stator running")

	out, errs, code := a.run("", "stator", "probe", "--rows", "10000", "--timeout", "3m")
	if code != 0 {
		t.Fatalf("stator probe: exit %d\n%s\n%s\nprocess a:\n%s\nprocess b:\n%s", code, out, errs, a.logs, b.logs)
	}
	t.Logf("probe report:\n%s", out)
	pool := testkit.Pool(t, url)
	done, maxPerState, byPID := probeCounts(t, pool)
	if done != 10000 {
		t.Fatalf("%d probes done, want 10000", done)
	}
	if maxPerState != 1 {
		t.Errorf("a row was handled %d times in one state, want exactly once", maxPerState)
	}
	if len(byPID) != 2 || byPID[a.cmd.Process.Pid]+byPID[b.cmd.Process.Pid] != 20000 {
		t.Errorf("handler calls by process: %v (a=%d, b=%d), want 20000 split over both", byPID, a.cmd.Process.Pid, b.cmd.Process.Pid)
	}
	for _, in := range []*instance{a, b} {
		if code, _ := in.stop(); code != 0 {
			t.Errorf("stator exited %d:\n%s", code, in.logs)
		}
	}
}

// A stator process killed with kill -9 in the middle of its handlers: once
// its leases end, another process finishes its rows.
func TestKilledStatorsRowsAreFinishedByAnother(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t)
	env := []string{"PUKEKO_DATABASE_URL=" + url, "PUKEKO_STATOR_LEASE=2s"}
	a := newInstance(t, env...)
	b := newInstance(t, env...)
	a.start("stator")
	waitLog(t, a, "stator running")

	// Probes that take 700ms per state, so a has many in hand when killed.
	probeDone := make(chan string, 1)
	go func() {
		out, errs, _ := b.run("", "stator", "probe", "--rows", "40", "--work", "700ms", "--timeout", "2m")
		probeDone <- out + errs
	}()
	pool := testkit.Pool(t, url)
	var inHand []int64
	waitFor(t, 30*time.Second, "process a to hold rows", func() bool {
		rows, err := pool.Query(context.Background(), "SELECT id FROM stator_probes WHERE state_locked_until > now()")
		if err != nil {
			return false
		}
		defer rows.Close()
		inHand = inHand[:0]
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			inHand = append(inHand, id)
		}
		return len(inHand) >= 8
	})
	aPID := a.cmd.Process.Pid
	a.kill9()
	killed := time.Now()

	b.start("stator")
	select {
	case report := <-probeDone:
		t.Logf("probe report after the kill:\n%s", report)
	case <-time.After(2 * time.Minute):
		t.Fatalf("probes not finished 2 minutes after the kill; process b:\n%s", b.logs)
	}
	done, _, byPID := probeCounts(t, pool)
	if done != 40 {
		t.Fatalf("%d of 40 probes done", done)
	}
	bPID := b.cmd.Process.Pid
	if byPID[bPID] == 0 {
		t.Fatalf("process b handled nothing: %v", byPID)
	}
	// Every row a held at the kill was finished by b, after a's lease ended.
	var fromKilled int
	var firstTakeover time.Time
	pool.QueryRow(context.Background(), `SELECT count(DISTINCT probe_id), min(started) FROM stator_probe_runs
		WHERE pid = $1 AND probe_id = ANY($2)`, bPID, inHand).Scan(&fromKilled, &firstTakeover)
	if fromKilled != len(inHand) {
		t.Errorf("b handled %d of the %d rows a held when killed", fromKilled, len(inHand))
	}
	if firstTakeover.Before(killed) {
		t.Errorf("b took a held row at %s, before a was killed at %s", firstTakeover, killed)
	}
	_ = aPID
	if code, _ := b.stop(); code != 0 {
		t.Errorf("stator exited %d:\n%s", code, b.logs)
	}
}

// stator.enabled: false and --no-stator keep the runner out of serve;
// unknown graph names are refused.
func TestStatorRoles(t *testing.T) {
	t.Parallel()
	url := testkit.DatabaseURL(t)
	in := newInstance(t, "PUKEKO_DATABASE_URL="+url, "PUKEKO_STATOR_ENABLED=false")
	in.start()
	in.waitReady()
	if code, _ := in.stop(); code != 0 || strings.Contains(in.logs.String(), "stator running") {
		t.Errorf("stator.enabled false: exit %d, logs:\n%s", code, in.logs)
	}
	on := newInstance(t, "PUKEKO_DATABASE_URL="+url)
	on.start("serve", "--no-stator")
	on.waitReady()
	if code, _ := on.stop(); code != 0 || strings.Contains(on.logs.String(), "stator running") {
		t.Errorf("--no-stator: exit %d, logs:\n%s", code, on.logs)
	}
	on.start("serve")
	on.waitReady()
	waitLog(t, on, "stator running")
	on.stop()
	if _, errs, code := on.run("", "stator", "--graphs", "probe,nosuch"); code != 2 || !strings.Contains(errs, `no graph named "nosuch"`) {
		t.Errorf("unknown graph: exit %d: %s", code, errs)
	}
}

func waitLog(t *testing.T, in *instance, text string) {
	t.Helper()
	waitFor(t, 30*time.Second, "log line "+text, func() bool {
		select {
		case <-in.exited:
			t.Fatalf("process exited (%v) before logging %q:\n%s", in.exitErr, text, in.logs)
		default:
		}
		return strings.Contains(in.logs.String(), text)
	})
}

func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
