package mastodon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// stampedPage answers a page of stamped timeline entries (newest first)
// from the render cache, with the Link header built from their keys.
func (c *call) stampedPage(list []store.StampedEntry, err error) {
	if err != nil {
		c.api.fail(c, err)
		return
	}
	body, err := c.renderStampedPage(c.renderer(), list)
	if err != nil {
		c.api.fail(c, err)
		return
	}
	c.writePage(body, c.pageLink(list))
	pageBuffers.Put(body[:0])
}

// renderStampedPage renders a page with rd (verified against a plain
// rendering when tests ask); the buffer goes back to pageBuffers once
// written.
func (c *call) renderStampedPage(rd *renderer, list []store.StampedEntry) ([]byte, error) {
	body, err := rd.stamped(list)
	if err != nil {
		return nil, err
	}
	if verifyRendering.Load() {
		c.api.verifyStamped(c, list, body)
	}
	return body, nil
}

// pageLink is the Link header of a page of entries, "" when empty.
func (c *call) pageLink(list []store.StampedEntry) string {
	if n := len(list); n > 0 {
		return c.linkValue(idStr(list[0].Key), idStr(list[n-1].Key))
	}
	return ""
}

// writePage answers a rendered page of JSON with its Link header.
func (c *call) writePage(body []byte, link string) {
	h := c.w.Header()
	if link != "" {
		h.Set("Link", link)
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	c.w.WriteHeader(http.StatusOK)
	c.w.Write(body)
}

// pageBuffers recycles the buffers pages are rendered into (a page of 40
// statuses is about 100 KB).
var pageBuffers = sync.Pool{New: func() any { return []byte(nil) }}

// stamped renders entries as a JSON array of statuses: cached renderings
// where their stamps still match, the rest loaded (one round trip),
// rendered and cached; then the reader's marks on each. Entries whose
// author is gone, and those a "hide" filter matches, are left out.
func (rd *renderer) stamped(list []store.StampedEntry) ([]byte, error) {
	cache, host, now := rd.c.api.cache, rd.c.baseURL(), time.Now()
	if len(list) > 0 {
		if err := rd.useCachedFilters(list[0].Filters, now); err != nil {
			return nil, err
		}
	}
	statuses := make(map[model.ID]*cachedStatus, len(list))
	accounts := map[model.ID][]byte{}
	var missPosts, missAccounts []model.ID
	stamps := map[model.ID]store.PostStamp{}
	wantAccount := func(id model.ID, v int64) {
		if _, ok := accounts[id]; ok {
			return
		}
		accounts[id] = cache.account(host, id, v, now)
		if accounts[id] == nil {
			missAccounts = append(missAccounts, id)
		}
	}
	var quoting []store.StampedEntry
	for _, e := range list {
		rd.deps.entry(e)
		if e.Quoting {
			quoting = append(quoting, e)
			continue
		}
		if _, ok := statuses[e.PostID]; !ok {
			statuses[e.PostID] = cache.status(host, e.PostStamp, now)
			if statuses[e.PostID] == nil {
				missPosts = append(missPosts, e.PostID)
				stamps[e.PostID] = e.PostStamp
			}
		}
		wantAccount(e.Author, e.AuthorV)
		if e.BoostID != 0 {
			wantAccount(e.BoostedBy, e.BoosterV)
		}
	}
	if len(missPosts) > 0 || len(missAccounts) > 0 {
		versions := map[model.ID]int64{}
		for _, e := range list {
			versions[e.Author] = e.AuthorV
			if e.BoostID != 0 {
				versions[e.BoostedBy] = e.BoosterV
			}
		}
		made, madeAccounts, err := rd.renderMisses(missPosts, missAccounts, stamps, versions, now)
		if err != nil {
			return nil, err
		}
		for _, cs := range made {
			statuses[cs.stamp.PostID] = cs
		}
		for id, ca := range madeAccounts {
			accounts[id] = ca.body
		}
		cache.put(host, made, madeAccounts)
	}
	plain, err := rd.plainEntries(quoting)
	if err != nil {
		return nil, err
	}
	buf := pageBuffers.Get().([]byte)
	buf = append(buf, '[')
	first := true
	for _, e := range list {
		if e.Quoting {
			st := plain[e.Key]
			rd.deps.status(st)
			if st == nil || rd.hidden(st) {
				continue
			}
			j, err := json.Marshal(st)
			if err != nil {
				return nil, err
			}
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = append(buf, j...)
			continue
		}
		cs, author := statuses[e.PostID], accounts[e.Author]
		if cs == nil || author == nil {
			continue // the author is gone
		}
		rd.deps.cached(cs, now)
		var booster []byte
		if e.BoostID != 0 {
			if booster = accounts[e.BoostedBy]; booster == nil {
				continue
			}
		}
		filtered := rd.filteredCached(cs)
		if rd.hides(filtered) {
			continue
		}
		if !first {
			buf = append(buf, ',')
		}
		first = false
		var err error
		if e.BoostID != 0 {
			buf, err = rd.appendBoost(buf, e, booster, cs, author, filtered)
		} else {
			buf, err = rd.appendStatus(buf, cs, author, e.PostStamp, filtered)
		}
		if err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// renderMisses loads and renders the posts and accounts the cache lacks,
// in one round trip, as cache entries stamped with the versions the page
// was read at (a post read newer than its stamp is rendered again next
// time, never served stale).
func (rd *renderer) renderMisses(postIDs, accountIDs []model.ID, stamps map[model.ID]store.PostStamp,
	versions map[model.ID]int64, now time.Time) ([]*cachedStatus, map[model.ID]*cachedAccount, error) {
	var posts []*model.Post
	if len(postIDs) > 0 {
		var err error
		if posts, err = store.PostsByIDs(rd.ctx(), rd.c.api.In.DB, postIDs); err != nil {
			return nil, nil, err
		}
	}
	d, err := rd.load(posts, accountIDs)
	if err != nil {
		return nil, nil, err
	}
	var made []*cachedStatus
	for _, p := range posts {
		s, err := rd.status(p, d)
		if err != nil {
			return nil, nil, err
		}
		if s == nil {
			continue
		}
		cs, err := newCachedStatus(p, d.polls[p.ID], s, stamps[p.ID], now)
		if err != nil {
			return nil, nil, err
		}
		made = append(made, cs)
	}
	madeAccounts := map[model.ID]*cachedAccount{}
	for _, id := range accountIDs {
		i := rd.identities[id]
		if i == nil {
			continue
		}
		body, err := json.Marshal(rd.account(i))
		if err != nil {
			return nil, nil, err
		}
		madeAccounts[id] = &cachedAccount{version: versions[id], made: now, body: body}
	}
	return made, madeAccounts, nil
}

// newCachedStatus keeps the reader-independent part of a rendered post.
func newCachedStatus(p *model.Post, poll *model.Poll, s *Status, stamp store.PostStamp, now time.Time) (*cachedStatus, error) {
	static := *s
	static.Account, static.Reblog, static.Text = nil, nil, nil
	static.Favourited, static.Reblogged, static.Muted, static.Bookmarked, static.Pinned = nil, nil, nil, nil, nil
	static.Filtered, static.Quote, static.QuoteApproval, static.QuotesCount = nil, nil, nil, 0
	body, err := staticJSON(static)
	if err != nil {
		return nil, fmt.Errorf("api: rendering post %d: %w", p.ID, err)
	}
	return &cachedStatus{stamp: stamp, made: now, post: p, poll: poll, static: &static, body: body}, nil
}

// staticJSON encodes a status without its account, reblog and poll (all
// nil) and without its closing brace, for those to follow. A member name
// preceded by `,"` cannot occur inside a JSON string, where quotes are
// escaped, so the cuts find only members.
func staticJSON(s Status) ([]byte, error) {
	s.Poll = nil
	body, err := json.Marshal(&s)
	if err != nil {
		return nil, err
	}
	body, err = cutMembers(body, `,"account":null`, `,"reblog":null`, `,"poll":null`, `,"quotes_count":0`, `,"quote":null`,
		`,"quote_approval":null`)
	if err != nil {
		return nil, err
	}
	return body[:len(body)-1], nil
}

// cutMembers removes members (`,"name":value`, as encoded) from an
// encoded object, each once; all must be there.
func cutMembers(body []byte, members ...string) ([]byte, error) {
	for _, m := range members {
		cut := bytes.Replace(body, []byte(m), nil, 1)
		if len(cut) == len(body) {
			return nil, fmt.Errorf("encoded status lacks %s", m)
		}
		body = cut
	}
	return body, nil
}

// appendStatus appends a post: its cached part, its author, its poll and
// the reader's marks.
func (rd *renderer) appendStatus(buf []byte, cs *cachedStatus, author []byte, st store.PostStamp, filtered []any) ([]byte, error) {
	buf = append(buf, cs.body...)
	buf = append(buf, `,"account":`...)
	buf = append(buf, author...)
	buf = append(buf, `,"reblog":null,"poll":`...)
	if cs.poll != nil {
		buf = appendPoll(buf, rd.poll(cs.poll, cs.post, st.Votes))
	} else {
		buf = append(buf, "null"...)
	}
	buf = append(buf, `,"quotes_count":`...)
	buf = strconv.AppendInt(buf, int64(st.QuotesCount), 10)
	buf = append(buf, `,"quote":null,"quote_approval":{"automatic":`...)
	buf = appendStrings(buf, st.Policy.Automatic)
	buf = append(buf, `,"manual":`...)
	buf = appendStrings(buf, st.Policy.Manual)
	buf = append(buf, `,"current_user":`...)
	buf = appendJSONString(buf, social.QuoteApprovalFor(cs.post, rd.c.viewerID(), st.Policy, st.ReaderFollows, st.FollowedByAuthor))
	buf = append(buf, '}')
	if v := rd.c.viewer; v != nil {
		buf = appendMark(buf, "favourited", st.State.Liked)
		buf = appendMark(buf, "reblogged", st.State.Boosted)
		buf = appendMark(buf, "muted", st.Muted)
		buf = appendMark(buf, "bookmarked", st.State.Bookmarked)
		if cs.post.AuthorID == v.ID {
			buf = appendMark(buf, "pinned", st.State.Pinned)
		}
		buf = append(buf, `,"filtered":`...)
		if len(filtered) == 0 {
			buf = append(buf, "[]"...)
		} else {
			fj, err := json.Marshal(filtered)
			if err != nil {
				return nil, err
			}
			buf = append(buf, fj...)
		}
	}
	return append(buf, '}'), nil
}

// appendBoost appends a boost wrapping the post it boosts.
func (rd *renderer) appendBoost(buf []byte, e store.StampedEntry, booster []byte, cs *cachedStatus, author []byte, filtered []any) ([]byte, error) {
	inner := &Status{URI: cs.static.URI, Visibility: cs.static.Visibility}
	if rd.c.viewer != nil {
		st := e.State
		inner.Favourited, inner.Reblogged, inner.Bookmarked = &st.Liked, &st.Boosted, &st.Bookmarked
	}
	shell := boostShell(entry{BoostID: e.BoostID, BoostedBy: e.BoostedBy}, inner)
	shell.Reblog = nil
	body, err := json.Marshal(shell)
	if err != nil {
		return nil, err
	}
	if body, err = cutMembers(body, `,"account":null`, `,"reblog":null`); err != nil {
		return nil, err
	}
	buf = append(buf, body[:len(body)-1]...)
	buf = append(buf, `,"account":`...)
	buf = append(buf, booster...)
	buf = append(buf, `,"reblog":`...)
	if buf, err = rd.appendStatus(buf, cs, author, e.PostStamp, filtered); err != nil {
		return nil, err
	}
	return append(buf, '}'), nil
}

// appendMark appends a boolean member.
func appendMark(buf []byte, name string, v bool) []byte {
	buf = append(buf, `,"`...)
	buf = append(buf, name...)
	buf = append(buf, `":`...)
	return strconv.AppendBool(buf, v)
}

// filteredCached is Status.filtered of a cached post for the reader (nil
// when logged out).
func (rd *renderer) filteredCached(cs *cachedStatus) []any {
	if rd.c.viewer == nil {
		return nil
	}
	return rd.filtered(cs.post, cs.static)
}

// hides reports whether filter results hide a status from the endpoint
// being served.
func (rd *renderer) hides(filtered []any) bool {
	if len(filtered) == 0 {
		return false
	}
	return rd.hidden(&Status{Filtered: filtered})
}

// appendStrings appends a JSON array of strings.
func appendStrings(buf []byte, list []string) []byte {
	buf = append(buf, '[')
	for k, v := range list {
		if k > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, v)
	}
	return append(buf, ']')
}

// plainEntries renders entries without the render cache (posts that
// quote others: the quoted post shows as the reader may see it), by page
// key.
func (rd *renderer) plainEntries(list []store.StampedEntry) (map[model.ID]*Status, error) {
	out := map[model.ID]*Status{}
	if len(list) == 0 {
		return out, nil
	}
	rendered, err := rd.plainStatuses(list)
	if err != nil {
		return nil, err
	}
	for _, s := range rendered {
		if id, ok := idFromString(s.ID); ok {
			out[id] = s
		}
	}
	return out, nil
}

// plainStatuses loads the posts of entries and renders them the plain
// way, in order (entries whose post or author is gone are left out).
func (rd *renderer) plainStatuses(list []store.StampedEntry) ([]*Status, error) {
	ids := make([]model.ID, len(list))
	for k, e := range list {
		ids[k] = e.PostID
	}
	posts, err := store.PostsByIDs(rd.ctx(), rd.c.api.In.DB, ids)
	if err != nil {
		return nil, err
	}
	byID := map[model.ID]*model.Post{}
	for _, p := range posts {
		byID[p.ID] = p
	}
	var entries []entry
	for _, e := range list {
		if p := byID[e.PostID]; p != nil {
			entries = append(entries, entry{Post: p, BoostID: e.BoostID, BoostedBy: e.BoostedBy})
		}
	}
	return rd.statuses(entries)
}
