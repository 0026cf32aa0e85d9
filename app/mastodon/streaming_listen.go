package mastodon

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/store"
)

// streamListenerName is the application_name of the LISTEN connection, to
// find it in pg_stat_activity.
const streamListenerName = "pukeko-stream-listener"

// listen keeps a dedicated connection LISTENing on the stream channel and
// hands what arrives to the dispatcher. A lost connection comes back with
// growing pauses (as Stator's listener does); what was sent meanwhile is
// lost, which streaming clients live with (they reload timelines when
// they reconnect, and Mastodon's streams promise no more).
func (h *streamHub) listen(ctx context.Context, r *hubRun, events chan<- store.StreamEvent) {
	defer close(events)
	keepListening(ctx, h.log, "streaming: lost the database listener; events are missed until it is back",
		func(ctx context.Context) (bool, error) { return h.listenOnce(ctx, r, events) }, func() {})
}

// listenOnce listens until the connection fails; listening reports whether
// LISTEN was in place.
func (h *streamHub) listenOnce(ctx context.Context, r *hubRun, events chan<- store.StreamEvent) (listening bool, err error) {
	cfg := h.api.In.DB.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = streamListenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+store.StreamChannel); err != nil {
		return false, err
	}
	r.markReady()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		ev, err := store.ParseStreamEvent(n.Payload)
		if err != nil {
			h.log.Warn("streaming: unreadable message", "error", err)
			continue
		}
		// Never wait here: a listener that stops reading fills the
		// server's notification queue, and then every NOTIFY fails.
		select {
		case events <- ev:
		default:
			h.log.Warn("streaming: delivery is behind; an event was dropped", "stream", ev.Stream, "post", ev.Post)
		}
	}
}

// dispatch delivers events in the order they came, each within a bound.
func (h *streamHub) dispatch(ctx context.Context, events <-chan store.StreamEvent) {
	for ev := range events {
		if ctx.Err() != nil {
			continue // drain: the listener closes events when it returns
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		if err := h.deliver(dctx, ev); err != nil && ctx.Err() == nil {
			h.log.Error("streaming: delivering an event", "stream", ev.Stream, "event", ev.Event, "post", ev.Post, "error", err)
		}
		cancel()
	}
}
