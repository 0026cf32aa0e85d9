package mastodon

import (
	"sync"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// The render cache keeps, per process, what rendering a post or an
// account costs most: the JSON of its parts that do not depend on the
// reader, with the row versions (store.PostStamp) it was made from. A
// page of a timeline then costs one query for ids, stamps and the
// reader's own marks; only what changed since is loaded and rendered
// again. This is Mastodon's status cache, kept in the process instead of
// Redis, and checked against the database on every use instead of
// expired by time.

// renderCacheSize bounds each of the caches (entries, not bytes: a
// status is about 2 KB of JSON).
const renderCacheSize = 20000

// renderCacheMaxAge bounds how long an entry serves: what its stamp does
// not cover (the names and addresses of mentioned accounts, custom emoji
// images, who a reply's parent is) may change without touching the
// post, and is rendered afresh at least this often.
const renderCacheMaxAge = 10 * time.Minute

// renderKey is a rendering of a row for one domain: account addresses,
// tag and media URLs depend on the domain a request came to.
type renderKey struct {
	host string
	id   model.ID
}

// cachedStatus is the reader-independent rendering of a post.
type cachedStatus struct {
	stamp  store.PostStamp // only the version fields are meaningful
	made   time.Time
	post   *model.Post
	poll   *model.Poll
	static *Status // the rendering, without account and reader's marks
	// body is static's JSON without its closing brace and without the
	// account, reblog and poll members, which follow per request.
	body []byte
}

// fresh reports whether the entry still renders the post as stamped.
func (cs *cachedStatus) fresh(s store.PostStamp, now time.Time) bool {
	return cs.stamp.Post == s.Post && cs.stamp.Poll == s.Poll && cs.stamp.Media == s.Media &&
		cs.stamp.Author == s.Author && cs.stamp.Card == s.Card && now.Sub(cs.made) < renderCacheMaxAge
}

// cachedAccount is the JSON of an account as of a row version.
type cachedAccount struct {
	version int64
	made    time.Time
	body    []byte
}

// renderCache holds the renderings of one process.
type renderCache struct {
	mu       sync.Mutex
	statuses map[renderKey]*cachedStatus
	accounts map[renderKey]*cachedAccount
	filters  filterCache
}

func newRenderCache() *renderCache {
	return &renderCache{statuses: map[renderKey]*cachedStatus{}, accounts: map[renderKey]*cachedAccount{}}
}

// status returns the cached rendering of a post if it is still fresh.
func (rc *renderCache) status(host string, s store.PostStamp, now time.Time) *cachedStatus {
	rc.mu.Lock()
	cs := rc.statuses[renderKey{host, s.PostID}]
	rc.mu.Unlock()
	if cs == nil || !cs.fresh(s, now) {
		return nil
	}
	return cs
}

// account returns the cached JSON of an account at version v, if any.
func (rc *renderCache) account(host string, id model.ID, v int64, now time.Time) []byte {
	rc.mu.Lock()
	ca := rc.accounts[renderKey{host, id}]
	rc.mu.Unlock()
	if ca == nil || ca.version != v || now.Sub(ca.made) >= renderCacheMaxAge {
		return nil
	}
	return ca.body
}

// put stores renderings, evicting entries when a cache is full.
func (rc *renderCache) put(host string, statuses []*cachedStatus, accounts map[model.ID]*cachedAccount) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for _, cs := range statuses {
		makeRoom(rc.statuses, len(statuses))
		rc.statuses[renderKey{host, cs.stamp.PostID}] = cs
	}
	for id, ca := range accounts {
		makeRoom(rc.accounts, len(accounts))
		rc.accounts[renderKey{host, id}] = ca
	}
}

// makeRoom drops entries of a full cache to make room for n more: a
// tenth of it, chosen by map order, which is random enough to keep the
// entries in use most likely to stay.
func makeRoom[V any](m map[renderKey]V, n int) {
	if len(m)+n <= renderCacheSize {
		return
	}
	drop := max(renderCacheSize/10, n)
	for k := range m {
		if drop == 0 {
			return
		}
		delete(m, k)
		drop--
	}
}
