package mastodon

import (
	"context"
	"log/slog"
	"time"
)

// keepListening runs listenOnce (which listens until its connection
// fails, reporting whether LISTEN was in place) until ctx ends, again
// after each loss with pauses growing from 100 ms to 10 s, back to 100 ms
// once a connection listened. lost runs after each loss, before the
// warning (logged with what) and the pause.
func keepListening(ctx context.Context, log *slog.Logger, what string,
	listenOnce func(context.Context) (listening bool, err error), lost func()) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		listening, err := listenOnce(ctx)
		lost()
		if ctx.Err() != nil {
			return
		}
		if listening {
			pause = 100 * time.Millisecond
		}
		log.Warn(what, "error", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, 10*time.Second)
	}
}
