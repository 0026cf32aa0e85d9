package mastodon

import (
	"sync"
	"time"

	"pukeko/app/model"
)

// filterCache keeps each reader's filters in force between requests,
// checked against the stamp a timeline page is read with
// (store.StampedEntry.Filters), so that a page of a timeline needs no
// query for them.
type filterCache struct {
	mu sync.Mutex
	m  map[model.ID]cachedFilters
}

type cachedFilters struct {
	stamp string
	until time.Time // the first expiry among them; zero: none expires
	set   *filterSet
}

// get returns the reader's filters if they were loaded at stamp and none
// has expired since.
func (fc *filterCache) get(reader model.ID, stamp string, now time.Time) *filterSet {
	fc.mu.Lock()
	e, ok := fc.m[reader]
	fc.mu.Unlock()
	if !ok || e.stamp != stamp || (!e.until.IsZero() && !now.Before(e.until)) {
		return nil
	}
	return e.set
}

// put keeps the reader's filters as of stamp.
func (fc *filterCache) put(reader model.ID, stamp string, set *filterSet) {
	e := cachedFilters{stamp: stamp, set: set}
	for _, f := range set.filters {
		if f.Expires != nil && (e.until.IsZero() || f.Expires.Before(e.until)) {
			e.until = *f.Expires
		}
	}
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if fc.m == nil || len(fc.m) >= renderCacheSize {
		fc.m = map[model.ID]cachedFilters{}
	}
	fc.m[reader] = e
}

// useCachedFilters gives the call its viewer's filters from the cache
// when they are as stamped, else loads and caches them.
func (rd *renderer) useCachedFilters(stamp string, now time.Time) error {
	v := rd.c.viewer
	if v == nil {
		return nil
	}
	fc := &rd.c.api.cache.filters
	if set := fc.get(v.ID, stamp, now); set != nil {
		rd.c.filters = set
		return nil
	}
	if stamp == "0:" {
		rd.c.filters = &filterSet{}
	} else {
		set, err := rd.viewerFilterSet()
		if err != nil {
			return err
		}
		rd.c.filters = set
	}
	fc.put(v.ID, stamp, rd.c.filters)
	return nil
}
