package mastodon

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// streamHub is the streaming API of one process: the clients connected
// here, filed by what they listen to, and one database connection
// LISTENing for what happened anywhere (schema/0017_streaming.sql), which
// it renders and hands to the clients concerned.
//
// Lifecycle: the hub starts listening with its first client and stops
// linger after its last one has gone, so a process nobody streams from
// holds no extra connection. Close ends everything for good (server
// shutdown: see API.CloseStreaming).
type streamHub struct {
	api    *API
	log    *slog.Logger
	buffer int           // frames a client may have waiting before it is let go
	linger time.Duration // how long the listener outlives the last client

	mu      sync.Mutex
	subs    map[string]map[*subscription]struct{} // by key
	users   map[model.ID]int                      // identities with a user stream, and how many
	lists   map[model.ID]int                      // lists streamed, and how many subscriptions
	clients map[*streamClient]struct{}
	run     *hubRun // nil while not listening
	closed  bool
}

// Limits of the hub.
const (
	streamBuffer           = 256              // frames waiting per client
	streamLinger           = time.Minute      // listener kept after the last client
	streamReadyWait        = 10 * time.Second // a new client waits this long for the listener
	streamMaxSubscriptions = 64               // streams of one WebSocket
	streamTokenCheck       = 30 * time.Second // how often open streams' tokens are checked, by default
)

// Errors of join and subscribe.
var (
	errStreamClosed      = errors.New("streaming: the server is shutting down")
	errStreamUnavailable = errors.New("streaming: not listening to the database")
	errTooManyStreams    = errors.New("streaming: too many subscriptions")
)

func newStreamHub(a *API) *streamHub {
	return &streamHub{
		api: a, log: a.Logger, buffer: streamBuffer, linger: streamLinger,
		subs: map[string]map[*subscription]struct{}{}, users: map[model.ID]int{}, lists: map[model.ID]int{},
		clients: map[*streamClient]struct{}{},
	}
}

// hubRun is one period of listening.
type hubRun struct {
	cancel    context.CancelFunc
	ready     chan struct{} // closed once LISTEN is first in place
	readyOnce sync.Once
	done      chan struct{} // closed when the listener and dispatcher returned
	idle      *time.Timer   // stops the run when no client came back
}

func (r *hubRun) markReady() { r.readyOnce.Do(func() { close(r.ready) }) }

// join registers a client, starting the listener if needed, and returns
// once the listener is in place: events from then on reach the client.
func (h *streamHub) join(ctx context.Context, c *streamClient) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return errStreamClosed
	}
	h.clients[c] = struct{}{}
	if h.run == nil {
		h.run = h.start()
	}
	if h.run.idle != nil {
		h.run.idle.Stop()
		h.run.idle = nil
	}
	ready := h.run.ready
	h.mu.Unlock()
	t := time.NewTimer(streamReadyWait)
	defer t.Stop()
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		h.leave(c)
		return ctx.Err()
	case <-t.C:
		h.leave(c)
		return errStreamUnavailable
	}
}

// leave forgets a client and its subscriptions; the last one out starts
// the countdown to stop listening.
func (h *streamHub) leave(c *streamClient) {
	c.end("gone")
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; !ok {
		return
	}
	for _, s := range c.subs {
		h.removeLocked(s)
	}
	delete(h.clients, c)
	if len(h.clients) > 0 || h.run == nil || h.run.idle != nil {
		return
	}
	r := h.run
	r.idle = time.AfterFunc(h.linger, func() {
		h.mu.Lock()
		stop := h.run == r && len(h.clients) == 0
		if stop {
			h.run = nil
		}
		h.mu.Unlock()
		if stop {
			r.cancel()
		}
	})
}

// subscribe adds a subscription of its client; subscribing again to the
// same stream changes nothing.
func (h *streamHub) subscribe(s *subscription) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := s.client
	if _, ok := h.clients[c]; !ok {
		return errStreamClosed
	}
	if _, ok := c.subs[s.nameKey()]; ok {
		return nil
	}
	if len(c.subs) >= streamMaxSubscriptions {
		return errTooManyStreams
	}
	c.subs[s.nameKey()] = s
	set := h.subs[s.key]
	if set == nil {
		set = map[*subscription]struct{}{}
		h.subs[s.key] = set
	}
	set[s] = struct{}{}
	if strings.HasPrefix(s.key, "user:") {
		h.users[s.identity]++
	}
	if s.list != 0 {
		h.lists[s.list]++
	}
	return nil
}

// unsubscribe removes the client's subscription to a stream, if any.
func (h *streamHub) unsubscribe(c *streamClient, name []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := c.subs[(&subscription{name: name}).nameKey()]; ok {
		h.removeLocked(s)
	}
}

func (h *streamHub) removeLocked(s *subscription) {
	delete(s.client.subs, s.nameKey())
	if set := h.subs[s.key]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(h.subs, s.key)
		}
	}
	if strings.HasPrefix(s.key, "user:") {
		if h.users[s.identity]--; h.users[s.identity] <= 0 {
			delete(h.users, s.identity)
		}
	}
	if s.list != 0 {
		if h.lists[s.list]--; h.lists[s.list] <= 0 {
			delete(h.lists, s.list)
		}
	}
}

// snapshot returns the subscriptions under keys, to deliver to without
// holding the lock.
func (h *streamHub) snapshot(keys ...string) []*subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*subscription
	for _, k := range keys {
		for s := range h.subs[k] {
			out = append(out, s)
		}
	}
	return out
}

// userSubs returns the user-stream subscriptions of identities.
func (h *streamHub) userSubs(ids []model.ID) []*subscription {
	keys := make([]string, len(ids))
	for k, id := range ids {
		keys[k] = userKey(id)
	}
	return h.snapshot(keys...)
}

// listSubs returns every list subscription and the lists they stream.
func (h *streamHub) listSubs() ([]*subscription, []model.ID) {
	h.mu.Lock()
	keys := make([]string, 0, len(h.lists))
	ids := make([]model.ID, 0, len(h.lists))
	for id := range h.lists {
		keys = append(keys, listKey(id))
		ids = append(ids, id)
	}
	h.mu.Unlock()
	return h.snapshot(keys...), ids
}

// streamingUsers lists the identities with a user stream here.
func (h *streamHub) streamingUsers() []model.ID {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]model.ID, 0, len(h.users))
	for id := range h.users {
		out = append(out, id)
	}
	return out
}

// start begins listening (with h.mu held).
func (h *streamHub) start() *hubRun {
	ctx, cancel := context.WithCancel(context.Background())
	r := &hubRun{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
	events := make(chan store.StreamEvent, 4096)
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); h.listen(ctx, r, events) }()
	go func() { defer wg.Done(); h.dispatch(ctx, events) }()
	check := h.api.Options.StreamTokenCheck
	if check <= 0 {
		check = streamTokenCheck
	}
	go func() { defer wg.Done(); h.checkTokens(ctx, check) }()
	go func() { wg.Wait(); close(r.done) }()
	return r
}

// close stops listening and lets every client go, for good.
func (h *streamHub) close() {
	h.mu.Lock()
	h.closed = true
	r := h.run
	h.run = nil
	clients := make([]*streamClient, 0, len(h.clients))
	for c := range h.clients {
		clients = append(clients, c)
	}
	h.mu.Unlock()
	for _, c := range clients {
		c.end("the server is shutting down")
	}
	if r != nil {
		if r.idle != nil {
			r.idle.Stop()
		}
		r.cancel()
		<-r.done
	}
}
