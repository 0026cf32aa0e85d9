package stator

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// graphRun is one graph at work in one runner: a claimer that fills a small
// local queue, a dispatcher that starts handlers within the limits, a
// committer that writes outcomes in batches and a renewer that keeps the
// leases of claimed rows alive.
type graphRun struct {
	r      *Runner
	g      *Graph
	states []string // the states this binary knows: the claim filter
	slots  chan struct{}
	wake   chan struct{}
	queue  chan claimed
	// moreDue is set when the last claim filled the queue: more rows are
	// probably due, so the claimer goes again as soon as there is room.
	moreDue atomic.Bool

	outcomes   chan outcome
	committed  chan struct{} // closed when the committer has written everything
	handlerCtx context.Context
	running    sync.WaitGroup

	mu     sync.Mutex
	leases map[int64]*lease // claimed rows not yet written, by id
	// renewMu keeps a renewal from changing a token while a batch of
	// outcomes conditioned on the old token is being written.
	renewMu sync.RWMutex
}

// lease is one claim of one row. Its token (the state_locked_until the
// claim wrote) changes when the lease is renewed; the pointer identifies
// the claim, so an outcome of an older claim of the same row can never be
// written under a newer claim's token.
type lease struct {
	token time.Time
}

// claimed is a row as claimed: the item, its lease and the database's
// clock at claim time (ages are computed on one clock, PostgreSQL's).
type claimed struct {
	Item
	lease     *lease
	dbNow     time.Time
	claimedAt time.Time // local monotonic clock, to measure time since dbNow
}

func newGraphRun(r *Runner, g *Graph) *graphRun {
	limit := r.opts.Concurrency
	if g.concurrency > 0 && g.concurrency < limit {
		limit = g.concurrency
	}
	// Prefetching a few rows per worker lets one claim serve several
	// handlers; more would starve other runners sharing the database.
	prefetch := min(max(4*limit, 8), 256)
	return &graphRun{
		r:         r,
		g:         g,
		states:    g.StateNames(),
		slots:     make(chan struct{}, limit),
		wake:      make(chan struct{}, 1),
		queue:     make(chan claimed, prefetch),
		outcomes:  make(chan outcome, prefetch),
		committed: make(chan struct{}),
		leases:    map[int64]*lease{},
	}
}

func (gr *graphRun) wakeUp() {
	select {
	case gr.wake <- struct{}{}:
	default:
	}
}

func (gr *graphRun) start(ctx context.Context, loops *sync.WaitGroup) {
	loops.Go(func() { gr.claimLoop(ctx) })
	loops.Go(func() { gr.dispatchLoop(ctx) })
	go gr.commitLoop()
	go gr.renewLoop(ctx)
}

// claimLoop claims due rows whenever the queue has room and there is reason
// to believe rows are due: a notification, the poll timer, or a previous
// claim that came back full.
func (gr *graphRun) claimLoop(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		room := cap(gr.queue) - len(gr.queue)
		if room > 0 && (room >= cap(gr.queue)/2 || len(gr.queue) == 0) {
			n, err := gr.claim(ctx, room)
			if err != nil && ctx.Err() == nil {
				gr.r.opts.Logger.Error("stator: claiming failed", "graph", gr.g.name, "error", err)
			}
			gr.moreDue.Store(err == nil && n == room)
			if n == room && err == nil {
				continue
			}
		}
		timer.Reset(gr.r.opts.PollInterval)
		select {
		case <-ctx.Done():
			return
		case <-gr.wake:
		case <-timer.C:
		}
	}
}

// dispatchLoop starts a handler for each queued row once both the graph's
// and the process's limits allow.
func (gr *graphRun) dispatchLoop(ctx context.Context) {
	for {
		var it claimed
		select {
		case <-ctx.Done():
			return
		case it = <-gr.queue:
		}
		if !gr.acquire(ctx) {
			gr.release([]claimed{it})
			return
		}
		gr.running.Add(1)
		go gr.work(it)
		if gr.moreDue.Load() && len(gr.queue) <= cap(gr.queue)/2 {
			gr.wakeUp()
		}
	}
}

func (gr *graphRun) acquire(ctx context.Context) bool {
	select {
	case gr.slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	select {
	case gr.r.slots <- struct{}{}:
		return true
	case <-ctx.Done():
		<-gr.slots
		return false
	}
}

func (gr *graphRun) releaseSlots() {
	<-gr.r.slots
	<-gr.slots
}

// finish runs after the loops stopped and every handler returned: rows
// still queued are released, the committer writes what is left.
func (gr *graphRun) finish() {
	var left []claimed
	for {
		select {
		case it := <-gr.queue:
			left = append(left, it)
			continue
		default:
		}
		break
	}
	if len(left) > 0 {
		gr.release(left)
	}
	close(gr.outcomes)
	<-gr.committed
}
