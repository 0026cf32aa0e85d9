package stator

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// listenerName is the application_name of the LISTEN connection, which
// makes it easy to find in pg_stat_activity.
const listenerName = "pukeko-stator-listener"

// listen keeps a connection LISTENing on the stator channel and wakes the
// graph a notification names. A lost connection is re-established with
// growing pauses, and every graph is woken after each (re)connection, since
// notifications sent meanwhile are lost.
func (r *Runner) listen(ctx context.Context) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := r.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		r.opts.Logger.Warn("stator: notification listener lost its connection; polling until it is back",
			"error", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, 10*time.Second)
	}
}

func (r *Runner) listenOnce(ctx context.Context) error {
	cfg := r.opts.Pool.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = listenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN stator"); err != nil {
		return err
	}
	r.wakeAll()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if gr, ok := r.byTable[n.Payload]; ok {
			gr.wakeUp()
		}
	}
}
