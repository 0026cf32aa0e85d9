package stator

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Execer runs a statement: a pool, a connection or a transaction.
type Execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Move puts row id into state from outside the engine, for example when an
// Accept arrives for a pending follow. It schedules the row as the state
// requires and takes it from any runner holding it (that runner's outcome
// is then dropped), so the external decision wins. It reports whether the
// row exists.
func (g *Graph) Move(ctx context.Context, db Execer, id int64, state string) (bool, error) {
	st, ok := g.states[state]
	if !ok {
		return false, fmt.Errorf("stator: graph %s has no state %s", g.name, state)
	}
	now := time.Now()
	var delay *float64
	if d := st.entryDelay(now, now); d != nil {
		s := d.Seconds()
		delay = &s
	}
	tag, err := db.Exec(ctx, fmt.Sprintf(`UPDATE %s SET
		state = $2, state_changed = now(), state_attempts = 0, state_error = NULL,
		state_locked_until = NULL, state_next_attempt = now() + $3 * interval '1 second'
		WHERE id = $1`, g.table), id, state, delay)
	if err != nil {
		return false, fmt.Errorf("stator: moving %s %d to %s: %w", g.table, id, state, err)
	}
	return tag.RowsAffected() == 1, nil
}
