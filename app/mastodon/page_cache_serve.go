package mastodon

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// cachedPage answers the head of a reader's timeline (a page without
// max_id) from the page cache, or loads, renders and keeps it; other
// pages are answered as stampedPage does.
func (c *call) cachedPage(pg store.Page, load func() ([]store.StampedEntry, error)) {
	key, ok := c.pageKey(pg)
	if !ok {
		c.stampedPage(load())
		return
	}
	pc := c.api.pages
	pc.start(c.api)
	now := time.Now()
	kept := pc.get(key, now)
	if verifyRendering.Load() {
		c.verifiedPage(key, now, load, kept)
		return
	}
	if kept != nil {
		c.writePage(kept.body, kept.link)
		return
	}
	// One request renders a page that is not kept; the others asking for
	// it meanwhile wait and are answered with what it kept. When it kept
	// nothing (a change came while it rendered), the next leads anew.
	for range 3 {
		f, leader := pc.join(key)
		if leader {
			c.leadPage(f, key, now, load)
			return
		}
		select {
		case <-f.done:
		case <-c.ctx().Done():
			return
		}
		if f.entry != nil {
			c.writePage(f.entry.body, f.entry.link)
			return
		}
		now = time.Now()
	}
	if body, link, _, ok := c.renderPage(key, now, load); ok {
		c.writePage(body, link)
		pageBuffers.Put(body[:0])
	}
}

// leadPage renders a page for the flight f and lands it, whatever happens.
func (c *call) leadPage(f *pageFlight, key pageKey, now time.Time, load func() ([]store.StampedEntry, error)) {
	pc := c.api.pages
	landed := false
	defer func() {
		if !landed {
			pc.land(key, f, nil)
		}
	}()
	body, link, e, ok := c.renderPage(key, now, load)
	pc.land(key, f, e)
	landed = true
	if ok {
		c.writePage(body, link)
		pageBuffers.Put(body[:0])
	}
}

// verifiedPage answers while tests verify renderings: always rendered
// afresh, compared with the answer kept, if any, and the fresh one served
// unless the cache is trusted.
func (c *call) verifiedPage(key pageKey, now time.Time, load func() ([]store.StampedEntry, error), kept *pageEntry) {
	body, link, _, ok := c.renderPage(key, now, load)
	if !ok {
		return
	}
	if kept != nil {
		c.api.verifyKept(c, kept, body, link)
		if c.api.pages.trust.Load() {
			c.writePage(kept.body, kept.link)
			pageBuffers.Put(body[:0])
			return
		}
	}
	c.writePage(body, link)
	pageBuffers.Put(body[:0])
}

// renderPage loads and renders an answer and keeps it in the page cache
// when it may (kept is then that entry). On failure the error has been
// answered and ok is false. The body goes back to pageBuffers once
// written.
func (c *call) renderPage(key pageKey, now time.Time, load func() ([]store.StampedEntry, error)) (body []byte, link string, kept *pageEntry, ok bool) {
	pc := c.api.pages
	t := pc.begin(now)
	list, err := load()
	if err != nil {
		c.api.fail(c, err)
		return nil, "", nil, false
	}
	rd := c.renderer()
	rd.deps = newPageDeps()
	if body, err = c.renderStampedPage(rd, list); err != nil {
		c.api.fail(c, err)
		return nil, "", nil, false
	}
	link = c.pageLink(list)
	if t.live {
		if until, err := c.pageUntil(now, rd.deps); err == nil {
			e := &pageEntry{key: key, body: bytes.Clone(body), link: link, until: until,
				posts: rd.deps.posts, identities: rd.deps.identities}
			if pc.put(t, e) {
				kept = e
			}
		}
	}
	return body, link, kept, true
}

// pageKey names the answer to the call in the page cache; false when it
// is not one the cache keeps: logged out, an older page (max_id), or a
// request with a body.
func (c *call) pageKey(pg store.Page) (pageKey, bool) {
	if c.viewer == nil || pg.MaxID != 0 || c.api.pages == nil ||
		(c.r.Body != nil && c.r.Body != http.NoBody && c.r.ContentLength != 0) {
		return pageKey{}, false
	}
	return pageKey{reader: c.viewer.ID, url: c.baseURL() + c.r.URL.RequestURI()}, true
}

// pageUntil is when an answer must be rendered again with no change
// notice: the first poll on it to end, filter or mute of the reader to
// expire, or pageMaxAge from now.
func (c *call) pageUntil(now time.Time, d *pageDeps) (time.Time, error) {
	until := now.Add(pageMaxAge)
	earlier := func(t time.Time) {
		if !t.IsZero() && t.Before(until) {
			until = t
		}
	}
	earlier(d.until)
	if c.filters != nil {
		for _, f := range c.filters.filters {
			if f.Expires != nil {
				earlier(*f.Expires)
			}
		}
	}
	mute, err := store.NextMuteExpiry(c.ctx(), c.api.In.DB, c.viewer.ID)
	if err != nil {
		return time.Time{}, err
	}
	earlier(mute)
	return until, nil
}

// verifyKept records a difference between an answer kept in the page
// cache and a fresh rendering of it (tests turn verification on). A
// difference counts only if, once every change committed before the
// fresh rendering has been applied, the answer is still kept: a notice
// that was on its way is not a fault.
func (a *API) verifyKept(c *call, kept *pageEntry, body []byte, link string) {
	if bytes.Equal(kept.body, body) && kept.link == link {
		return
	}
	if !a.pages.sync(c.ctx()) || !a.pages.still(kept) {
		return
	}
	recordMismatch(fmt.Sprintf("%s: page cache answer differs:\nlink %q, fresh %q\n%s", c.r.URL, kept.link, link,
		firstDifferenceJSON(kept.body, body)))
}

// still reports whether e is the answer kept for its key.
func (pc *pageCache) still(e *pageEntry) bool {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.entries[e.key] == e
}

// pageDeps gathers what an answer shows: the posts and identities whose
// change notices drop it, and when it changes on its own.
type pageDeps struct {
	posts, identities map[model.ID]struct{}
	until             time.Time // zero: never on its own
}

func newPageDeps() *pageDeps {
	return &pageDeps{posts: map[model.ID]struct{}{}, identities: map[model.ID]struct{}{}}
}

// entry notes a timeline entry, shown or not (a hidden one may show
// after a change).
func (d *pageDeps) entry(e store.StampedEntry) {
	if d == nil {
		return
	}
	d.posts[e.PostID] = struct{}{}
	d.identities[e.Author] = struct{}{}
	if e.BoostID != 0 {
		d.identities[e.BoostedBy] = struct{}{}
	}
}

// cached notes what a post rendered from the render cache shows besides
// its entry: the mentioned, and when its poll ends.
func (d *pageDeps) cached(cs *cachedStatus, now time.Time) {
	if d == nil {
		return
	}
	for _, id := range cs.post.Mentions {
		d.identities[id] = struct{}{}
	}
	if cs.poll != nil && cs.poll.Expires != nil && !cs.poll.Ended(now) {
		d.ends(*cs.poll.Expires)
	}
}

// status notes what a rendered status shows: itself, its accounts, what
// it boosts or quotes, and when its poll ends.
func (d *pageDeps) status(s *Status) {
	if d == nil || s == nil {
		return
	}
	if id, ok := idFromString(s.ID); ok {
		d.posts[id] = struct{}{}
	}
	if s.Account != nil {
		if id, ok := idFromString(s.Account.ID); ok {
			d.identities[id] = struct{}{}
		}
	}
	for _, m := range s.Mentions {
		if id, ok := idFromString(m.ID); ok {
			d.identities[id] = struct{}{}
		}
	}
	if p := s.Poll; p != nil && !p.Expired && p.ExpiresAt != nil {
		if t, err := time.Parse(time.RFC3339, *p.ExpiresAt); err == nil {
			d.ends(t)
		}
	}
	d.status(s.Reblog)
	switch q := s.Quote.(type) {
	case *Quote:
		d.status(q.QuotedStatus)
	case *ShallowQuote:
		if q.QuotedStatusID != nil {
			if id, ok := idFromString(*q.QuotedStatusID); ok {
				d.posts[id] = struct{}{}
			}
		}
	}
}

func (d *pageDeps) ends(t time.Time) {
	if d.until.IsZero() || t.Before(d.until) {
		d.until = t
	}
}
