package mastodon

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Async refreshes: work an answer started in the background, which the
// client follows with the Mastodon-Async-Refresh header and GET
// /api/v1_alpha/async_refreshes/:id (Mastodon 4.4): fetching a remote
// post's replies (context), generating an annual report (wrapstodon).
func (a *API) registerAsyncRefreshes(mux Mux) {
	a.route(mux, "GET /api/v1_alpha/async_refreshes/{id}", userToken, "read", a.asyncRefresh)
}

// AsyncRefresh is Mastodon's AsyncRefresh.
type AsyncRefresh struct {
	ID          string `json:"id"`
	Status      string `json:"status"` // running or finished
	ResultCount *int   `json:"result_count"`
}

// AsyncRefresh statuses.
const (
	refreshRunning  = "running"
	refreshFinished = "finished"
)

// Kinds of refresh, the first part of their ids ("context-123").
const (
	refreshKindContext    = "context"
	refreshKindWrapstodon = "wrapstodon"
)

// refreshExpiry is how long a finished refresh is told, as Mastodon keeps
// it; afterwards its id is unknown.
const refreshExpiry = time.Hour

// contextRefreshRetry is the retry of the header of a context refresh,
// in seconds (Mastodon's default).
const contextRefreshRetry = 3

// contextRefresh renders a refresh of a post's replies.
func contextRefresh(r *model.ContextRefresh) *AsyncRefresh {
	n := r.ResultCount
	out := &AsyncRefresh{ID: refreshKindContext + "-" + idStr(r.ID), Status: refreshFinished, ResultCount: &n}
	if r.State == social.ContextRefreshFetching {
		out.Status = refreshRunning
	}
	return out
}

// reportRefresh renders the generation of an annual report (no count of
// results, as Mastodon's).
func reportRefresh(r *model.AnnualReport) *AsyncRefresh {
	out := &AsyncRefresh{ID: refreshKindWrapstodon + "-" + idStr(r.ID), Status: refreshFinished}
	if r.State == social.AnnualReportGenerating {
		out.Status = refreshRunning
	}
	return out
}

// setAsyncRefreshHeader tells the client of a refresh running, and after
// how many seconds to ask again.
func setAsyncRefreshHeader(c *call, r *AsyncRefresh, retry int) {
	if r == nil || r.Status != refreshRunning {
		return
	}
	v := fmt.Sprintf(`id="%s", retry=%d`, r.ID, retry)
	if r.ResultCount != nil {
		v += fmt.Sprintf(", result_count=%d", *r.ResultCount)
	}
	c.w.Header().Set("Mastodon-Async-Refresh", v)
}

// contextRefreshHeader starts or finds the refresh of the replies of a
// post whose thread is asked for, and sets the header when one runs.
func (a *API) contextRefreshHeader(c *call, p *model.Post) error {
	r, err := a.In.RefreshContext(c.ctx(), p, c.viewerID())
	if err != nil || r == nil {
		return err
	}
	setAsyncRefreshHeader(c, contextRefresh(r), contextRefreshRetry)
	return nil
}

// asyncRefresh answers a refresh by id: 404 when unknown, gone, finished
// more than an hour ago, or another user's report.
func (a *API) asyncRefresh(c *call) {
	kind, rawID, _ := strings.Cut(c.r.PathValue("id"), "-")
	n, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil {
		c.notFound()
		return
	}
	id := model.ID(n)
	var out *AsyncRefresh
	var changed time.Time
	switch kind {
	case refreshKindContext:
		r, err := store.ContextRefreshByID(c.ctx(), a.In.DB, id)
		if err != nil {
			a.fail(c, err)
			return
		}
		if r != nil {
			out, changed = contextRefresh(r), r.StateChanged
		}
	case refreshKindWrapstodon:
		r, err := store.AnnualReportByID(c.ctx(), a.In.DB, id)
		if err != nil {
			a.fail(c, err)
			return
		}
		if r != nil && r.IdentityID == c.viewer.ID {
			out, changed = reportRefresh(r), r.StateChanged
		}
	}
	if out == nil || (out.Status == refreshFinished && time.Since(changed) > refreshExpiry) {
		c.notFound()
		return
	}
	c.ok(map[string]*AsyncRefresh{"async_refresh": out})
}
