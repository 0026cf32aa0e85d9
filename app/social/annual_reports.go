package social

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"time"

	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Annual report states: being generated, ready to read, or given up on
// (the owner may ask again).
const (
	AnnualReportGenerating = "generating"
	AnnualReportAvailable  = "available"
	AnnualReportFailed     = "failed"
)

// What the API says of a year's report (GET /api/v1/annual_reports/:year/state):
// ready, being made, may be asked for, or not offered.
const (
	AnnualReportStateAvailable  = "available"
	AnnualReportStateGenerating = "generating"
	AnnualReportStateEligible   = "eligible"
	AnnualReportStateIneligible = "ineligible"
)

// Errors of GenerateAnnualReport.
var (
	// ErrAnnualReportClosed: the year is not open for reports.
	ErrAnnualReportClosed = errors.New("this year is not open for annual reports")
	// ErrAnnualReportIneligible: the identity did nothing that year.
	ErrAnnualReportIneligible = errors.New("there is not enough activity this year for an annual report")
)

// AnnualReportPolicy says which years' reports may be generated: the
// current year from a day of the year on (Mastodon opens it on December
// 10), and further years at any time.
type AnnualReportPolicy struct {
	Enabled    bool
	OpensMonth time.Month
	OpensDay   int
	Years      []int
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// OpenYears lists the years whose reports may be generated now, oldest
// first.
func (p AnnualReportPolicy) OpenYears() []int {
	if !p.Enabled {
		return nil
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	t := now().UTC()
	years := slices.Clone(p.Years)
	month, day := p.OpensMonth, p.OpensDay
	if month == 0 {
		month, day = time.December, 10
	}
	if !t.Before(time.Date(t.Year(), month, day, 0, 0, 0, 0, time.UTC)) {
		years = append(years, t.Year())
	}
	slices.Sort(years)
	return slices.Compact(years)
}

// Campaign is the year apps are invited to sum up (the instance entity's
// wrapstodon): the latest open year; false when none is.
func (p AnnualReportPolicy) Campaign() (int, bool) {
	years := p.OpenYears()
	if len(years) == 0 {
		return 0, false
	}
	return years[len(years)-1], true
}

// open tells whether year's reports may be generated now.
func (p AnnualReportPolicy) open(year int) bool { return slices.Contains(p.OpenYears(), year) }

// AnnualReportState tells where identity's report of year stands, with the
// report when there is one.
func (in *Instance) AnnualReportState(ctx context.Context, identity *model.Identity, year int) (string, *model.AnnualReport, error) {
	r, err := store.AnnualReportByYear(ctx, in.DB, identity.ID, year)
	if err != nil {
		return "", nil, err
	}
	switch {
	case r != nil && r.State == AnnualReportAvailable:
		return AnnualReportStateAvailable, r, nil
	case r != nil && r.State == AnnualReportGenerating:
		return AnnualReportStateGenerating, r, nil
	}
	if !in.AnnualReports.open(year) {
		return AnnualReportStateIneligible, r, nil
	}
	ok, err := store.AnnualReportEligible(ctx, in.DB, identity.ID, year)
	if err != nil || !ok {
		return AnnualReportStateIneligible, r, err
	}
	return AnnualReportStateEligible, r, nil
}

// GenerateAnnualReport asks for identity's report of year, generated in
// the background by the annual report graph. It returns the report (in
// whatever state it is) and whether generation started now; asking while
// it runs, or once it is there, changes nothing.
func (in *Instance) GenerateAnnualReport(ctx context.Context, identity *model.Identity, year int) (*model.AnnualReport, bool, error) {
	state, r, err := in.AnnualReportState(ctx, identity, year)
	if err != nil {
		return nil, false, err
	}
	switch state {
	case AnnualReportStateAvailable, AnnualReportStateGenerating:
		return r, false, nil
	case AnnualReportStateIneligible:
		if !in.AnnualReports.open(year) {
			return nil, false, ErrAnnualReportClosed
		}
		return nil, false, ErrAnnualReportIneligible
	}
	if r != nil { // failed before: try again
		if _, err := in.annualReportGraph().Move(ctx, in.DB, int64(r.ID), AnnualReportGenerating); err != nil {
			return nil, false, err
		}
		r.State = AnnualReportGenerating
		return r, true, nil
	}
	var key [8]byte
	rand.Read(key[:])
	r, created, err := store.QueueAnnualReport(ctx, in.DB, identity.ID, year, hex.EncodeToString(key[:]), AnnualReportGenerating)
	return r, created, err
}

// annualReportGraph is the graph that makes the reports asked for.
func (in *Instance) annualReportGraph() *stator.Graph {
	return in.ownGraphs().annualReports
}

// newAnnualReportGraph declares it: a report that keeps failing is given
// up after an hour; a failed one goes after a day, and its owner may ask
// again meanwhile (GenerateAnnualReport) or later.
func (in *Instance) newAnnualReportGraph() *stator.Graph {
	g := stator.NewGraph("annual_reports", "annual_reports").Concurrency(2)
	g.State(AnnualReportGenerating).Retry(stator.Backoff{Base: 10 * time.Second, Max: 10 * time.Minute, Jitter: 0.2}).
		TimesOutTo(AnnualReportFailed, time.Hour).Handle(in.generateAnnualReport, AnnualReportAvailable)
	g.State(AnnualReportAvailable).Terminal()
	g.State(AnnualReportFailed).DeleteAfter(24 * time.Hour)
	return g
}

// generateAnnualReport computes a report's figures from the database.
func (in *Instance) generateAnnualReport(ctx context.Context, it stator.Item) (string, error) {
	r, err := store.AnnualReportByID(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if r == nil || r.State != it.State {
		return "", ignoreMoved(errMoved)
	}
	f, err := store.LoadAnnualFigures(ctx, in.DB, r.IdentityID, r.Year)
	if err != nil {
		return "", err
	}
	data, err := annualReportData(f)
	if err != nil {
		return "", err
	}
	if saved, err := store.SaveAnnualReportData(ctx, in.DB, r.ID, it.State, AnnualReportSchema, data); err != nil || !saved {
		return "", errors.Join(err, ignoreMoved(errMoved))
	}
	return AnnualReportAvailable, nil
}
