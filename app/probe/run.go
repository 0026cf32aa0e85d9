package probe

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/model"
)

// Report is what a probe run measured.
type Report struct {
	Run       string
	Rows      int
	Done      int
	Elapsed   time.Duration // from insert to the last row done
	PickupP50 time.Duration // from insert to the first handler call
	PickupP99 time.Duration
	ByProcess map[string]int // "host/pid" -> handler calls
	Repeated  int            // handler calls beyond one per row and state
}

// Start inserts rows probes of a new run in one statement, each doing work
// in each handler, and returns the run's name.
func Start(ctx context.Context, db *pgxpool.Pool, rows int, work time.Duration) (string, error) {
	run := "probe-" + rand.Text()[:10]
	first := int64(model.NewID())
	// IDs stay time-ordered and unique: consecutive values from one fresh ID
	// (the low 16 bits are a sequence; 65536 rows per millisecond of room).
	_, err := db.Exec(ctx, `INSERT INTO stator_probes (id, run, work_ms)
		SELECT $1::bigint + g, $2, $3 FROM generate_series(0, $4::int - 1) g`,
		first, run, work.Milliseconds(), rows)
	if err != nil {
		return "", fmt.Errorf("probe: inserting rows: %w", err)
	}
	return run, nil
}

// Wait polls until every probe of run is done or ctx ends, then measures.
func Wait(ctx context.Context, db *pgxpool.Pool, run string, rows int) (*Report, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		var done int
		if err := db.QueryRow(ctx, "SELECT count(*) FROM stator_probes WHERE run = $1 AND state = 'done'", run).Scan(&done); err != nil {
			return nil, fmt.Errorf("probe: %w", err)
		}
		if done >= rows {
			break
		}
		select {
		case <-ctx.Done():
			r, _ := Measure(context.WithoutCancel(ctx), db, run)
			return r, fmt.Errorf("probe: only %d of %d rows done: %w", done, rows, ctx.Err())
		case <-tick.C:
		}
	}
	return Measure(ctx, db, run)
}

// Measure reads what the run's handler calls recorded.
func Measure(ctx context.Context, db *pgxpool.Pool, run string) (*Report, error) {
	r := &Report{Run: run, ByProcess: map[string]int{}}
	err := db.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE p.state = 'done'),
		coalesce(max(r.finished) - min(p.created), interval '0')
		FROM stator_probes p LEFT JOIN LATERAL (SELECT max(finished) AS finished FROM stator_probe_runs WHERE probe_id = p.id) r ON true
		WHERE p.run = $1`, run).Scan(&r.Rows, &r.Done, &r.Elapsed)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	rows, err := db.Query(ctx, `SELECT extract(epoch FROM min(x.started) - p.created)
		FROM stator_probes p JOIN stator_probe_runs x ON x.probe_id = p.id
		WHERE p.run = $1 GROUP BY p.id, p.created`, run)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	var pickups []float64
	for rows.Next() {
		var s float64
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		pickups = append(pickups, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Float64s(pickups)
	if len(pickups) > 0 {
		r.PickupP50 = seconds(pickups[len(pickups)/2])
		r.PickupP99 = seconds(pickups[len(pickups)*99/100])
	}
	rows, err = db.Query(ctx, `SELECT x.host || '/' || x.pid, count(*)
		FROM stator_probe_runs x JOIN stator_probes p ON p.id = x.probe_id WHERE p.run = $1 GROUP BY 1`, run)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	for rows.Next() {
		var who string
		var n int
		if err := rows.Scan(&who, &n); err != nil {
			return nil, err
		}
		r.ByProcess[who] = n
	}
	err = db.QueryRow(ctx, `SELECT coalesce(sum(n - 1), 0) FROM (
		SELECT count(*) AS n FROM stator_probe_runs x JOIN stator_probes p ON p.id = x.probe_id
		WHERE p.run = $1 GROUP BY x.probe_id, x.state) c`, run).Scan(&r.Repeated)
	return r, err
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// Print writes the report for an operator.
func (r *Report) Print(w io.Writer) {
	rate := 0.0
	if r.Elapsed > 0 {
		rate = float64(r.Done) / r.Elapsed.Seconds()
	}
	fmt.Fprintf(w, "run %s: %d of %d probes done in %s (%.0f rows/s through 2 handled states)\n",
		r.Run, r.Done, r.Rows, r.Elapsed.Round(time.Millisecond), rate)
	fmt.Fprintf(w, "pick-up after insert: p50 %s, p99 %s\n", r.PickupP50.Round(time.Millisecond), r.PickupP99.Round(time.Millisecond))
	procs := make([]string, 0, len(r.ByProcess))
	for p := range r.ByProcess {
		procs = append(procs, p)
	}
	sort.Strings(procs)
	for _, p := range procs {
		fmt.Fprintf(w, "handler calls by %s: %d\n", p, r.ByProcess[p])
	}
	fmt.Fprintf(w, "repeated handler calls: %d\n", r.Repeated)
}
