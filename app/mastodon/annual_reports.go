package mastodon

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// The annual reports ("Wrapstodon"): a user's year summed up, generated
// in the background when asked for (app/social/annual_reports.go).
func (a *API) registerAnnualReports(mux Mux) {
	a.route(mux, "GET /api/v1/annual_reports", userToken, "read read:accounts", a.annualReports)
	a.route(mux, "GET /api/v1/annual_reports/{year}", userToken, "read read:accounts", a.annualReport)
	a.route(mux, "GET /api/v1/annual_reports/{year}/state", userToken, "read read:accounts", a.annualReportState)
	a.route(mux, "POST /api/v1/annual_reports/{year}/generate", userToken, "write write:accounts", a.generateAnnualReport)
	a.route(mux, "POST /api/v1/annual_reports/{year}/read", userToken, "write write:accounts", a.readAnnualReport)
}

// AnnualReport is Mastodon's AnnualReport.
type AnnualReport struct {
	Year          int             `json:"year"`
	Data          json.RawMessage `json:"data"`
	SchemaVersion int             `json:"schema_version"`
	// ShareURL would link the report's public page, which Pukeko does not
	// serve: null, as the spec allows.
	ShareURL  *string `json:"share_url"`
	AccountID string  `json:"account_id"`
}

// WrappedAnnualReports is Mastodon's answer of the annual report
// endpoints: reports with the accounts and statuses they name.
type WrappedAnnualReports struct {
	AnnualReports []AnnualReport `json:"annual_reports"`
	Accounts      []*Account     `json:"accounts"`
	Statuses      []*Status      `json:"statuses"`
}

// annualReportRetry is the retry of the Mastodon-Async-Refresh header of a
// report being generated, in seconds (Mastodon's).
const annualReportRetry = 2

// annualReports lists the caller's reports not marked read yet.
func (a *API) annualReports(c *call) {
	list, err := store.UnreadAnnualReports(c.ctx(), a.In.DB, c.viewer.ID, social.AnnualReportAvailable)
	if err != nil {
		a.fail(c, err)
		return
	}
	a.answerAnnualReports(c, list)
}

// annualReport answers one generated report, read or not; 404 while it
// is not there.
func (a *API) annualReport(c *call) {
	r := c.availableAnnualReport()
	if r == nil {
		return
	}
	a.answerAnnualReports(c, []*model.AnnualReport{r})
}

// annualReportState tells where the report of a year stands.
func (a *API) annualReportState(c *call) {
	year, ok := c.reportYear()
	if !ok {
		return
	}
	state, r, err := a.In.AnnualReportState(c.ctx(), c.viewer, year)
	if err != nil {
		a.fail(c, err)
		return
	}
	if state == social.AnnualReportStateGenerating {
		setAsyncRefreshHeader(c, reportRefresh(r), annualReportRetry)
	}
	c.ok(map[string]string{"state": state})
}

// generateAnnualReport asks for the report of a year: 202 with the
// refresh to follow while it is generated, 200 once it is there; 404 for
// a year not open for reports, 422 when the caller did nothing that year.
func (a *API) generateAnnualReport(c *call) {
	year, ok := c.reportYear()
	if !ok {
		return
	}
	r, _, err := a.In.GenerateAnnualReport(c.ctx(), c.viewer, year)
	switch {
	case errors.Is(err, social.ErrAnnualReportClosed):
		c.notFound()
		return
	case errors.Is(err, social.ErrAnnualReportIneligible):
		c.invalid("%s", err.Error())
		return
	case err != nil:
		a.fail(c, err)
		return
	}
	if r.State == social.AnnualReportAvailable {
		c.ok(map[string]any{})
		return
	}
	setAsyncRefreshHeader(c, reportRefresh(r), annualReportRetry)
	writeJSON(c.w, http.StatusAccepted, map[string]any{})
}

// readAnnualReport marks a generated report read: it leaves the list.
func (a *API) readAnnualReport(c *call) {
	r := c.availableAnnualReport()
	if r == nil {
		return
	}
	if err := store.MarkAnnualReportRead(c.ctx(), a.In.DB, r.ID); err != nil {
		a.fail(c, err)
		return
	}
	c.ok(map[string]any{})
}

// reportYear reads the {year} path parameter; 404 when it is no year.
func (c *call) reportYear() (int, bool) {
	year, err := strconv.Atoi(c.r.PathValue("year"))
	if err != nil || year < 1 || year > 9999 {
		c.notFound()
		return 0, false
	}
	return year, true
}

// availableAnnualReport loads the caller's generated report of {year};
// 404 when there is none (yet).
func (c *call) availableAnnualReport() *model.AnnualReport {
	year, ok := c.reportYear()
	if !ok {
		return nil
	}
	r, err := store.AnnualReportByYear(c.ctx(), c.api.In.DB, c.viewer.ID, year)
	if err != nil {
		c.api.fail(c, err)
		return nil
	}
	if r == nil || r.State != social.AnnualReportAvailable {
		c.notFound()
		return nil
	}
	return r
}

// answerAnnualReports renders reports with the accounts they are about
// and the posts they name (those the caller may still see).
func (a *API) answerAnnualReports(c *call, list []*model.AnnualReport) {
	out := WrappedAnnualReports{AnnualReports: []AnnualReport{}, Accounts: []*Account{}, Statuses: []*Status{}}
	var owners, postIDs []model.ID
	for _, r := range list {
		out.AnnualReports = append(out.AnnualReports, AnnualReport{
			Year: r.Year, Data: r.Data, SchemaVersion: r.SchemaVersion, AccountID: idStr(r.IdentityID),
		})
		owners = append(owners, r.IdentityID)
		postIDs = append(postIDs, social.AnnualReportPostIDs(r)...)
	}
	rd := c.renderer()
	if len(owners) > 0 {
		ids, err := store.IdentitiesByIDs(c.ctx(), a.In.DB, owners[:1]) // all the caller's
		if err != nil {
			a.fail(c, err)
			return
		}
		if out.Accounts, err = rd.accounts(ids); err != nil {
			a.fail(c, err)
			return
		}
	}
	if len(postIDs) > 0 {
		posts, err := store.PostsByIDs(c.ctx(), a.In.DB, postIDs)
		if err != nil {
			a.fail(c, err)
			return
		}
		var visible []*model.Post
		for _, p := range posts {
			if ok, err := a.In.CanSee(c.ctx(), c.viewerID(), p); err != nil {
				a.fail(c, err)
				return
			} else if ok {
				visible = append(visible, p)
			}
		}
		if out.Statuses, err = rd.posts(visible); err != nil {
			a.fail(c, err)
			return
		}
	}
	c.ok(out)
}
