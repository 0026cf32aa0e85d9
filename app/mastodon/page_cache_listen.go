package mastodon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/store"
)

// pageListenerName is the application_name of the page cache's LISTEN
// connection, to find it in pg_stat_activity.
const pageListenerName = "pukeko-page-listener"

// pageListener keeps a connection LISTENing for change notices, applies
// them to the page cache, and sends the barriers that prove it alive.
type pageListener struct {
	pc     *pageCache
	db     *pgxpool.Pool
	log    *slog.Logger
	prefix string // this process's barrier tokens begin with it
	cancel context.CancelFunc
	done   chan struct{}
	used   atomic.Int64 // when the cache was last asked (Unix nanoseconds)

	mu      sync.Mutex
	next    uint64
	sent    map[uint64]time.Time     // barriers sent and not yet received
	waiters map[uint64]chan struct{} // closed when that barrier comes back
}

// start begins listening unless it already does; the cache serves
// nothing before. A listener nobody asks for pageIdle stops (a process
// that serves no timelines holds no connection for them).
func (pc *pageCache) start(a *API) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.lis != nil {
		pc.lis.used.Store(time.Now().UnixNano())
		return
	}
	b := make([]byte, 8)
	rand.Read(b)
	ctx, cancel := context.WithCancel(context.Background())
	l := &pageListener{pc: pc, db: a.In.DB, log: a.Logger, prefix: hex.EncodeToString(b) + ".",
		cancel: cancel, done: make(chan struct{}), sent: map[uint64]time.Time{}, waiters: map[uint64]chan struct{}{}}
	l.used.Store(time.Now().UnixNano())
	pc.lis = l
	go l.run(ctx)
}

// CloseCaches stops the database listener of the page cache, which
// answers from the database from then on.
func (a *API) CloseCaches() {
	if a.pages != nil {
		a.pages.close()
	}
}

// close stops the listener for good; the cache serves nothing after.
func (pc *pageCache) close() {
	pc.mu.Lock()
	l := pc.lis
	pc.lis = &pageListener{done: closedChan()} // never to start again
	pc.mu.Unlock()
	if l != nil && l.cancel != nil {
		l.cancel()
		<-l.done
	}
	pc.reset()
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

// run listens until ctx ends, coming back with growing pauses when the
// connection is lost (the cache serves nothing meanwhile).
func (l *pageListener) run(ctx context.Context) {
	defer close(l.done)
	defer func() {
		l.pc.mu.Lock()
		if l.pc.lis == l {
			l.pc.lis = nil
		}
		l.pc.mu.Unlock()
		l.pc.reset()
	}()
	keepListening(ctx, l.log, "page cache: lost the database listener; answering from the database until it is back",
		l.listenOnce, l.pc.reset)
}

// listenOnce listens until the connection fails; listening reports
// whether LISTEN was in place.
func (l *pageListener) listenOnce(ctx context.Context) (listening bool, err error) {
	cfg := l.db.Config().ConnConfig.Copy()
	cfg.RuntimeParams["application_name"] = pageListenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+store.ChangeChannel); err != nil {
		return false, err
	}
	// Notices sent before LISTEN are lost: start afresh.
	l.pc.reset()
	beat, stop := context.WithCancel(ctx)
	defer stop()
	go l.heartbeat(beat)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, err
		}
		c, err := store.ParseChange(n.Payload)
		if err != nil {
			l.log.Warn("page cache: unreadable change notice", "error", err)
			l.pc.apply(store.Change{Kind: store.ChangedAll})
			continue
		}
		if c.Kind == store.ChangeBarrier {
			l.received(c.Token)
			continue
		}
		l.pc.apply(c)
	}
}

// heartbeat sends a barrier at once and then every pageHeartbeat, and
// stops the listener once the cache has been idle for pageIdle.
func (l *pageListener) heartbeat(ctx context.Context) {
	t := time.NewTicker(pageHeartbeat)
	defer t.Stop()
	for {
		if time.Since(time.Unix(0, l.used.Load())) > time.Duration(l.pc.idle.Load()) {
			l.cancel()
			return
		}
		if _, err := l.barrier(ctx); err != nil && ctx.Err() == nil {
			l.log.Debug("page cache: sending a barrier", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// barrier sends a barrier and returns a channel closed when it comes back.
func (l *pageListener) barrier(ctx context.Context) (<-chan struct{}, error) {
	l.mu.Lock()
	l.next++
	n := l.next
	// The time is taken before sending: a barrier proves no more than
	// what was committed before it was sent.
	l.sent[n] = time.Now()
	ch := make(chan struct{})
	l.waiters[n] = ch
	l.mu.Unlock()
	sctx, cancel := context.WithTimeout(ctx, pageBarrierWait)
	defer cancel()
	err := store.SendBarrier(sctx, l.db, l.prefix+strconv.FormatUint(n, 10))
	if err != nil {
		l.mu.Lock()
		delete(l.sent, n)
		delete(l.waiters, n)
		l.mu.Unlock()
		return nil, err
	}
	return ch, nil
}

// received notes a barrier back: this process's barriers prove the
// listener alive up to when they were sent, and release whoever waits.
func (l *pageListener) received(token string) {
	rest, ok := strings.CutPrefix(token, l.prefix)
	if !ok {
		return // another process's
	}
	n, err := strconv.ParseUint(rest, 10, 64)
	if err != nil {
		return
	}
	l.mu.Lock()
	sent, ok := l.sent[n]
	ch := l.waiters[n]
	// Barriers are received in the order sent: older ones still waiting
	// were lost, and this one proves as much as they would have.
	for k := range l.sent {
		if k <= n {
			delete(l.sent, k)
		}
	}
	for k, w := range l.waiters {
		if k < n {
			close(w)
			delete(l.waiters, k)
		}
	}
	delete(l.waiters, n)
	l.mu.Unlock()
	if ok {
		l.pc.alive(sent)
	}
	if ch != nil {
		close(ch)
	}
}

// sync waits until every change committed before the call has been
// applied; false when the listener could not prove it in time.
func (pc *pageCache) sync(ctx context.Context) bool {
	pc.mu.Lock()
	l := pc.lis
	pc.mu.Unlock()
	if l == nil || l.db == nil {
		return false
	}
	ch, err := l.barrier(ctx)
	if err != nil {
		return false
	}
	t := time.NewTimer(pageBarrierWait)
	defer t.Stop()
	select {
	case <-ch:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}
