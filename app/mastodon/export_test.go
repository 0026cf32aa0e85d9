package mastodon

import (
	"context"
	"fmt"
	"time"

	"pukeko/app/model"
)

// VerifyRendering turns on comparing every page served from the render
// cache with a plain rendering of it.
func VerifyRendering(on bool) { verifyRendering.Store(on) }

// TakeRenderMismatches returns, and forgets, the differences found.
func TakeRenderMismatches() []string {
	renderMismatches.Lock()
	defer renderMismatches.Unlock()
	found := renderMismatches.found
	renderMismatches.found = nil
	return found
}

// TrustPageCache makes a's page cache serve what it keeps even while
// renderings are verified (each kept answer is still compared with a
// fresh one).
func TrustPageCache(a *API) { a.pages.trust.Store(true) }

// PageCacheStats returns how many answers a's page cache served from
// memory, kept, and how often it started afresh (its listener connected
// or was lost).
func PageCacheStats(a *API) (hits, kept, resets int) {
	s := a.pages.snapshot()
	return s.Hits, s.Kept, s.Resets
}

// SyncPageCache waits until every change committed before the call has
// been applied to a's page cache.
func SyncPageCache(a *API) bool { return a.pages.sync(context.Background()) }

// KeptPageUntil returns when the answers a keeps for reader must be
// rendered again regardless of changes.
func KeptPageUntil(a *API, reader model.ID) []time.Time {
	a.pages.mu.Lock()
	defer a.pages.mu.Unlock()
	var out []time.Time
	for e := range a.pages.byReader[reader] {
		out = append(out, e.until)
	}
	return out
}

// PageCacheCounts returns all of a's page cache counters, as text.
func PageCacheCounts(a *API) string { return fmt.Sprintf("%+v", a.pages.snapshot()) }

// SetPageCacheIdle sets how long a's page cache listener outlives its
// last use.
func SetPageCacheIdle(a *API, d time.Duration) { a.pages.idle.Store(int64(d)) }
