package mastodon

import (
	"context"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// checkTokens lets clients go whose token stopped working since they
// connected (revoked, its user banned, its identity deleted), every
// interval, with one query for all of them.
func (h *streamHub) checkTokens(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		h.mu.Lock()
		clients := make([]*streamClient, 0, len(h.clients))
		ids := make([]model.ID, 0, len(h.clients))
		for c := range h.clients {
			clients = append(clients, c)
			ids = append(ids, c.tokenID)
		}
		h.mu.Unlock()
		if len(ids) == 0 {
			continue
		}
		active, err := store.ActiveOAuthTokenIDs(ctx, h.api.In.DB, ids)
		if err != nil {
			h.log.Warn("streaming: checking tokens", "error", err)
			continue
		}
		for _, c := range clients {
			if !active[c.tokenID] {
				c.end("the access token is no longer valid")
			}
		}
	}
}
