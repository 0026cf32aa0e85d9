package mastodon

import (
	"container/list"
	"sync"
	"sync/atomic"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// pageCache keeps whole answers for the head of readers' home timelines
// (the first page, and the polls for what is newer), so that a client
// asking again when nothing changed costs no query at all.
//
// Answers are dropped by change notices (schema/0025_change_notices.sql)
// that name their reader, one of their posts or one of their identities,
// or when their time is up (a poll ends, a filter or mute expires). The
// cache answers only while its listener is proven alive: each second the
// process sends itself a barrier through PostgreSQL, and since notices
// arrive in commit order, a barrier received proves that every change
// committed before it was sent has been applied. Without a barrier for
// pageLiveFor (the connection lost, the database gone), nothing is
// served from memory.
type pageCache struct {
	mu      sync.Mutex
	entries map[pageKey]*pageEntry
	lru     list.List // of *pageEntry, most recently used first
	bytes   int
	limit   int // of bytes, pageCacheBytes but in tests
	// The entries by what drops them.
	byReader, byPost, byIdentity map[model.ID]map[*pageEntry]struct{}

	// seq numbers the changes applied; history keeps the latest, so that
	// an answer rendered while a change came in is not kept (put).
	seq     uint64
	history [pageHistory]pageChange
	// epoch changes whenever notices may have been missed (the listener
	// connected or lost its connection): answers begun before are not kept.
	epoch  uint64
	liveAt time.Time // when the newest barrier received was sent

	// flights are the answers being rendered, by key: a request that
	// misses while one is on its way waits for it instead of rendering
	// the same page again (every reader's client asks at once after a
	// change).
	flights map[pageKey]*pageFlight

	stats pageStats
	lis   *pageListener // nil until the cache is first used
	// While tests verify renderings, a kept answer is compared with a
	// fresh one, and the fresh one is served unless trust is set.
	trust atomic.Bool
	// idle is how long the listener outlives its last use (pageIdle but
	// in tests), in nanoseconds.
	idle atomic.Int64
}

// pageKey names an answer: the reader, and the request's base URL, path
// and query.
type pageKey struct {
	reader model.ID
	url    string
}

// pageEntry is one kept answer.
type pageEntry struct {
	key        pageKey
	body       []byte
	link       string    // the Link header, "" for none
	until      time.Time // when it must be rendered again regardless
	posts      map[model.ID]struct{}
	identities map[model.ID]struct{}
	elem       *list.Element
}

// pageFlight is an answer being rendered; entry is set, if it was kept,
// when done is closed.
type pageFlight struct {
	done  chan struct{}
	entry *pageEntry
}

// pageChange is a change applied, with its sequence number.
type pageChange struct {
	seq    uint64
	change store.Change
}

// pageTicket is what put needs to know of the moment rendering began.
type pageTicket struct {
	seq, epoch uint64
	live       bool
}

// pageStats count what the cache did, for tests and metrics.
type pageStats struct {
	Hits, Misses, Kept, Refused, Dropped, Resets int
}

// Limits of the page cache.
const (
	pageCacheBytes  = 64 << 20         // memory for answers, in all
	pageMaxBytes    = 1 << 20          // larger answers are not kept
	pagePerReader   = 8                // answers kept per reader
	pageMaxAge      = 10 * time.Minute // answers are rendered again after this
	pageHistory     = 4096             // changes remembered for put
	pageLiveFor     = 3 * time.Second  // how old the newest barrier may be
	pageHeartbeat   = time.Second      // how often a barrier is sent
	pageBarrierWait = 5 * time.Second  // how long sync waits for its barrier
	pageIdle        = 10 * time.Minute // a listener nobody needs stops after this
)

func newPageCache() *pageCache {
	pc := &pageCache{
		entries: map[pageKey]*pageEntry{}, limit: pageCacheBytes, flights: map[pageKey]*pageFlight{},
		byReader: map[model.ID]map[*pageEntry]struct{}{}, byPost: map[model.ID]map[*pageEntry]struct{}{},
		byIdentity: map[model.ID]map[*pageEntry]struct{}{},
	}
	pc.idle.Store(int64(pageIdle))
	return pc
}

// get returns the answer kept for key, if it may be served at now.
func (pc *pageCache) get(key pageKey, now time.Time) *pageEntry {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	e := pc.entries[key]
	if e == nil || !pc.liveLocked(now) || !now.Before(e.until) {
		pc.stats.Misses++
		return nil
	}
	pc.stats.Hits++
	pc.lru.MoveToFront(e.elem)
	return e
}

func (pc *pageCache) liveLocked(now time.Time) bool {
	return !pc.liveAt.IsZero() && now.Sub(pc.liveAt) < pageLiveFor
}

// begin notes the moment an answer starts being rendered.
func (pc *pageCache) begin(now time.Time) pageTicket {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pageTicket{seq: pc.seq, epoch: pc.epoch, live: pc.liveLocked(now)}
}

// put keeps an answer rendered since t, unless a change that concerns it
// was applied meanwhile (it may have been read before the change) or
// notices may have been missed.
func (pc *pageCache) put(t pageTicket, e *pageEntry) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if !t.live || t.epoch != pc.epoch || pc.seq-t.seq >= pageHistory || len(e.body) > pageMaxBytes {
		pc.stats.Refused++
		return false
	}
	for s := t.seq + 1; s <= pc.seq; s++ {
		if h := pc.history[s%pageHistory]; h.seq == s && e.concerns(h.change) {
			pc.stats.Refused++
			return false
		}
	}
	if old := pc.entries[e.key]; old != nil {
		pc.dropLocked(old)
	}
	if mine := pc.byReader[e.key.reader]; len(mine) >= pagePerReader {
		for old := range mine { // any of them: a reader rarely has more than two
			pc.dropLocked(old)
			break
		}
	}
	for pc.bytes+len(e.body) > pc.limit && pc.lru.Len() > 0 {
		pc.dropLocked(pc.lru.Back().Value.(*pageEntry))
	}
	pc.entries[e.key] = e
	e.elem = pc.lru.PushFront(e)
	pc.bytes += len(e.body)
	file(pc.byReader, e.key.reader, e)
	for id := range e.posts {
		file(pc.byPost, id, e)
	}
	for id := range e.identities {
		file(pc.byIdentity, id, e)
	}
	pc.stats.Kept++
	return true
}

// join returns the flight rendering key, and whether the caller leads it
// (renders, then lands it) or follows (waits for it).
func (pc *pageCache) join(key pageKey) (f *pageFlight, leader bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if f := pc.flights[key]; f != nil {
		return f, false
	}
	f = &pageFlight{done: make(chan struct{})}
	pc.flights[key] = f
	return f, true
}

// land ends a flight with the answer kept (nil when none was).
func (pc *pageCache) land(key pageKey, f *pageFlight, kept *pageEntry) {
	pc.mu.Lock()
	if pc.flights[key] == f {
		delete(pc.flights, key)
	}
	pc.mu.Unlock()
	f.entry = kept
	close(f.done)
}

// concerns reports whether a change may alter the answer.
func (e *pageEntry) concerns(c store.Change) bool {
	switch c.Kind {
	case store.ChangedAll:
		return true
	case store.ChangedReaders:
		for _, id := range c.IDs {
			if id == e.key.reader {
				return true
			}
		}
	case store.ChangedPosts:
		for _, id := range c.IDs {
			if _, ok := e.posts[id]; ok {
				return true
			}
		}
	case store.ChangedIdentities:
		for _, id := range c.IDs {
			if _, ok := e.identities[id]; ok {
				return true
			}
		}
	}
	return false
}

// apply drops the answers a change concerns and remembers it.
func (pc *pageCache) apply(c store.Change) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.rememberLocked(c)
	switch c.Kind {
	case store.ChangedAll:
		pc.clearLocked()
	case store.ChangedReaders:
		pc.dropFiledLocked(pc.byReader, c.IDs)
	case store.ChangedPosts:
		pc.dropFiledLocked(pc.byPost, c.IDs)
	case store.ChangedIdentities:
		pc.dropFiledLocked(pc.byIdentity, c.IDs)
	}
}

// forgetReader drops a reader's answers at once, and any being rendered:
// called after the reader's own writes, so that they see them on their
// next request even before the notices of the writes arrive.
func (pc *pageCache) forgetReader(reader model.ID) {
	pc.apply(store.Change{Kind: store.ChangedReaders, IDs: []model.ID{reader}})
}

func (pc *pageCache) rememberLocked(c store.Change) {
	pc.seq++
	pc.history[pc.seq%pageHistory] = pageChange{seq: pc.seq, change: c}
}

// reset drops everything, refuses answers begun before and serves none
// until the next barrier: notices may have been missed.
func (pc *pageCache) reset() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.epoch++
	pc.stats.Resets++
	pc.liveAt = time.Time{}
	pc.clearLocked()
}

// alive notes a barrier received that was sent at sent.
func (pc *pageCache) alive(sent time.Time) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if sent.After(pc.liveAt) {
		pc.liveAt = sent
	}
}

// has reports whether an answer is kept for key (tests and verification).
func (pc *pageCache) has(key pageKey) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.entries[key] != nil
}

// snapshot returns the counters.
func (pc *pageCache) snapshot() pageStats {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.stats
}

func (pc *pageCache) clearLocked() {
	for _, e := range pc.entries {
		pc.dropLocked(e)
	}
}

func (pc *pageCache) dropFiledLocked(index map[model.ID]map[*pageEntry]struct{}, ids []model.ID) {
	for _, id := range ids {
		for e := range index[id] {
			pc.dropLocked(e)
		}
	}
}

func (pc *pageCache) dropLocked(e *pageEntry) {
	if pc.entries[e.key] != e {
		return
	}
	delete(pc.entries, e.key)
	pc.lru.Remove(e.elem)
	pc.bytes -= len(e.body)
	unfile(pc.byReader, e.key.reader, e)
	for id := range e.posts {
		unfile(pc.byPost, id, e)
	}
	for id := range e.identities {
		unfile(pc.byIdentity, id, e)
	}
	pc.stats.Dropped++
}

func file(index map[model.ID]map[*pageEntry]struct{}, id model.ID, e *pageEntry) {
	set := index[id]
	if set == nil {
		set = map[*pageEntry]struct{}{}
		index[id] = set
	}
	set[e] = struct{}{}
}

func unfile(index map[model.ID]map[*pageEntry]struct{}, id model.ID, e *pageEntry) {
	if set := index[id]; set != nil {
		delete(set, e)
		if len(set) == 0 {
			delete(index, id)
		}
	}
}
