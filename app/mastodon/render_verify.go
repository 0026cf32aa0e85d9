package mastodon

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"pukeko/app/model"
	"pukeko/app/store"
)

// verifyRendering makes every page served from the render cache be
// rendered again the plain way and compared (tests turn it on): a field
// that the cache's stamps miss, or that the reader's marks should carry,
// shows as a difference.
var verifyRendering atomic.Bool

// renderMismatches collects the differences verifyRendering found.
var renderMismatches struct {
	sync.Mutex
	found []string
}

// verifyStamped renders list the plain way and records a difference from
// body. The database may change between the two renderings (Stator runs
// on), so a difference counts only if a fresh pair of renderings still
// shows it.
func (a *API) verifyStamped(c *call, list []store.StampedEntry, body []byte) {
	for attempt := 0; ; attempt++ {
		plain, err := c.plainStamped(list)
		if err != nil {
			return
		}
		var x, y any
		if json.Unmarshal(body, &x) != nil || json.Unmarshal(plain, &y) != nil {
			recordMismatch(fmt.Sprintf("%s: undecodable rendering:\n%s", c.r.URL, body))
			return
		}
		if reflect.DeepEqual(x, y) {
			return
		}
		if attempt == 2 {
			recordMismatch(fmt.Sprintf("%s: cached rendering differs:\n%s", c.r.URL, firstDifference(x, y)))
			return
		}
		// Stamp the page afresh: a row that changed since it was read
		// (a card that came, a count) is then rendered anew both ways.
		if list, err = c.restamp(list); err != nil {
			return
		}
		if body, err = c.renderer().stamped(list); err != nil {
			return
		}
	}
}

// plainStamped renders entries without the render cache, as the page
// would be answered.
func (c *call) plainStamped(list []store.StampedEntry) ([]byte, error) {
	rd := c.renderer()
	out, err := rd.plainStatuses(list)
	if err != nil {
		return nil, err
	}
	shown := []*Status{}
	for _, s := range out {
		if !rd.hidden(s) {
			shown = append(shown, s)
		}
	}
	return json.Marshal(shown)
}

func recordMismatch(s string) {
	renderMismatches.Lock()
	renderMismatches.found = append(renderMismatches.found, s)
	renderMismatches.Unlock()
}

// firstDifferenceJSON describes where two encoded pages differ.
func firstDifferenceJSON(cached, fresh []byte) string {
	var x, y any
	if json.Unmarshal(cached, &x) != nil || json.Unmarshal(fresh, &y) != nil {
		return "undecodable page"
	}
	return firstDifference(x, y)
}

// firstDifference describes where two decoded pages differ.
func firstDifference(cached, plain any) string {
	a, _ := cached.([]any)
	b, _ := plain.([]any)
	if len(a) != len(b) {
		return fmt.Sprintf("%d statuses cached, %d plain", len(a), len(b))
	}
	for k := range a {
		x, _ := a[k].(map[string]any)
		y, _ := b[k].(map[string]any)
		for name := range mergedKeys(x, y) {
			if !reflect.DeepEqual(x[name], y[name]) {
				cx, _ := json.Marshal(x[name])
				cy, _ := json.Marshal(y[name])
				return fmt.Sprintf("status %d, %q: cached %s, plain %s", k, name, cx, cy)
			}
		}
	}
	return "no difference found"
}

func mergedKeys(x, y map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range x {
		out[k] = true
	}
	for k := range y {
		out[k] = true
	}
	return out
}

// restamp returns a copy of a page with the stamps the rows have now
// (entries whose post is gone are left out).
func (c *call) restamp(list []store.StampedEntry) ([]store.StampedEntry, error) {
	var ids, boosters []model.ID
	for _, e := range list {
		ids = append(ids, e.PostID)
		if e.BoostID != 0 {
			boosters = append(boosters, e.BoostedBy)
		}
	}
	st, err := store.PostStamps(c.ctx(), c.api.In.DB, c.viewerID(), ids, boosters)
	if err != nil {
		return nil, err
	}
	var out []store.StampedEntry
	for _, e := range list {
		ps, ok := st.Posts[e.PostID]
		if !ok {
			continue
		}
		e.PostStamp, e.BoosterV, e.Filters = ps, st.Identities[e.BoostedBy], st.Filters
		out = append(out, e)
	}
	return out, nil
}
