package mastodon

import (
	"fmt"
	"testing"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// livePageCache is a page cache whose listener has just proven alive.
func livePageCache() *pageCache {
	pc := newPageCache()
	pc.alive(time.Now())
	return pc
}

func testEntry(reader model.ID, url string, posts, identities []model.ID) *pageEntry {
	e := &pageEntry{key: pageKey{reader: reader, url: url}, body: []byte(`[]`), until: time.Now().Add(time.Minute),
		posts: map[model.ID]struct{}{}, identities: map[model.ID]struct{}{}}
	for _, id := range posts {
		e.posts[id] = struct{}{}
	}
	for _, id := range identities {
		e.identities[id] = struct{}{}
	}
	return e
}

func TestPageCacheServesOnlyWhileLive(t *testing.T) {
	pc := newPageCache()
	now := time.Now()
	e := testEntry(1, "home", nil, nil)
	if pc.put(pc.begin(now), e) {
		t.Fatal("kept an answer before the listener proved alive")
	}
	pc.alive(now)
	if !pc.put(pc.begin(now), e) {
		t.Fatal("refused an answer while live")
	}
	if pc.get(e.key, now) != e {
		t.Fatal("no answer right after keeping it")
	}
	if pc.get(e.key, now.Add(pageLiveFor)) != nil {
		t.Fatal("served an answer with no barrier for pageLiveFor")
	}
	pc.alive(now.Add(pageLiveFor))
	if pc.get(e.key, now.Add(pageLiveFor)) != e {
		t.Fatal("no answer once a new barrier came")
	}
	pc.reset()
	if pc.get(e.key, now) != nil || pc.has(e.key) {
		t.Fatal("an answer outlived a reset of the listener")
	}
}

func TestPageCacheDropsWhatChangesConcern(t *testing.T) {
	now := time.Now()
	cases := []struct {
		change store.Change
		drops  bool
	}{
		{store.Change{Kind: store.ChangedReaders, IDs: []model.ID{5, 1}}, true},
		{store.Change{Kind: store.ChangedReaders, IDs: []model.ID{2}}, false},
		{store.Change{Kind: store.ChangedPosts, IDs: []model.ID{10}}, true},
		{store.Change{Kind: store.ChangedPosts, IDs: []model.ID{1}}, false}, // a post id equal to the reader's
		{store.Change{Kind: store.ChangedIdentities, IDs: []model.ID{21}}, true},
		{store.Change{Kind: store.ChangedIdentities, IDs: []model.ID{10}}, false},
		{store.Change{Kind: store.ChangedAll}, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%c%v", c.change.Kind, c.change.IDs), func(t *testing.T) {
			pc := livePageCache()
			e := testEntry(1, "home", []model.ID{10, 11}, []model.ID{20, 21})
			other := testEntry(3, "home", []model.ID{12}, []model.ID{22})
			pc.put(pc.begin(now), e)
			pc.put(pc.begin(now), other)
			pc.apply(c.change)
			if pc.has(e.key) == c.drops {
				t.Errorf("kept after the change: %v, want %v", pc.has(e.key), !c.drops)
			}
			if !pc.has(other.key) && c.change.Kind != store.ChangedAll {
				t.Error("an answer the change does not concern was dropped")
			}

			// An answer begun before the change is not kept when the
			// change concerns it: it may have been read before.
			pc2 := livePageCache()
			ticket := pc2.begin(now)
			pc2.apply(c.change)
			e2 := testEntry(1, "home", []model.ID{10, 11}, []model.ID{20, 21})
			if pc2.put(ticket, e2) == c.drops {
				t.Errorf("kept an answer begun before the change: %v, want %v", !c.drops, c.drops)
			}
		})
	}
}

func TestPageCacheRefusesAnswersBegunBeforeAReset(t *testing.T) {
	pc := livePageCache()
	ticket := pc.begin(time.Now())
	pc.reset()
	pc.alive(time.Now())
	if pc.put(ticket, testEntry(1, "home", nil, nil)) {
		t.Fatal("kept an answer begun before notices may have been missed")
	}
}

func TestPageCacheForgetsAReaderAtOnce(t *testing.T) {
	pc := livePageCache()
	now := time.Now()
	e := testEntry(1, "home", nil, nil)
	ticket := pc.begin(now)
	pc.forgetReader(1)
	if pc.put(ticket, e) {
		t.Fatal("kept an answer begun before the reader's own write")
	}
	pc.put(pc.begin(now), e)
	pc.forgetReader(1)
	if pc.has(e.key) {
		t.Fatal("the reader's answer outlived their write")
	}
}

func TestPageCacheRefusesAfterTooManyChanges(t *testing.T) {
	pc := livePageCache()
	ticket := pc.begin(time.Now())
	for k := range pageHistory {
		pc.apply(store.Change{Kind: store.ChangedPosts, IDs: []model.ID{model.ID(1000 + k)}})
	}
	if pc.put(ticket, testEntry(1, "home", []model.ID{1}, nil)) {
		t.Fatal("kept an answer begun before more changes than are remembered")
	}
}

func TestPageCacheExpiry(t *testing.T) {
	pc := livePageCache()
	now := time.Now()
	e := testEntry(1, "home", nil, nil)
	e.until = now.Add(time.Second)
	pc.put(pc.begin(now), e)
	if pc.get(e.key, now.Add(999*time.Millisecond)) != e {
		t.Fatal("no answer before its time was up")
	}
	if pc.get(e.key, now.Add(time.Second)) != nil {
		t.Fatal("served an answer whose time was up")
	}
}

func TestPageCacheLimits(t *testing.T) {
	now := time.Now()
	pc := livePageCache()
	for k := range pagePerReader + 3 {
		pc.put(pc.begin(now), testEntry(1, fmt.Sprint("home?since_id=", k), nil, nil))
	}
	if n := len(pc.byReader[1]); n != pagePerReader {
		t.Errorf("a reader has %d answers kept, want %d", n, pagePerReader)
	}

	pc = livePageCache()
	pc.limit = 10
	first := testEntry(1, "a", nil, nil)
	first.body = []byte("12345")
	pc.put(pc.begin(now), first)
	second := testEntry(2, "a", nil, nil)
	second.body = []byte("12345")
	pc.put(pc.begin(now), second)
	pc.get(first.key, now) // used: the second is now the least recently used
	third := testEntry(3, "a", nil, nil)
	third.body = []byte("123")
	pc.put(pc.begin(now), third)
	if !pc.has(first.key) || pc.has(second.key) || !pc.has(third.key) {
		t.Errorf("kept first %v, second %v, third %v; want the least recently used dropped",
			pc.has(first.key), pc.has(second.key), pc.has(third.key))
	}
	if pc.bytes != 8 {
		t.Errorf("bytes = %d, want 8", pc.bytes)
	}
}

func TestPageCacheNeverStartsAfterClose(t *testing.T) {
	pc := newPageCache()
	pc.close()
	pc.start(&API{})
	if pc.lis == nil || pc.lis.cancel != nil {
		t.Fatal("a listener started after close")
	}
	if pc.sync(t.Context()) {
		t.Fatal("sync proved a closed cache alive")
	}
}
