package config

import (
	"fmt"
	"strconv"
	"time"
)

// AnnualReportsConfig holds the annual_reports.* keys: which years' reports
// ("Wrapstodon") users may have generated, and when.
type AnnualReportsConfig struct {
	Enabled bool     // annual_reports.enabled: offer annual reports at all
	Opens   string   // annual_reports.opens: "MM-DD" (UTC) from which the current year is open
	Years   []string // annual_reports.years: years open at any time
}

// OpensOn returns the month and day of annual_reports.opens (December 10
// when it does not parse; Validate refuses that).
func (a AnnualReportsConfig) OpensOn() (time.Month, int) {
	t, err := time.Parse("01-02", a.Opens)
	if err != nil {
		return time.December, 10
	}
	return t.Month(), t.Day()
}

// YearList returns annual_reports.years as numbers, leaving out what does
// not parse (Validate refuses that).
func (a AnnualReportsConfig) YearList() []int {
	out := make([]int, 0, len(a.Years))
	for _, y := range a.Years {
		if n, err := strconv.Atoi(y); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// checkAnnualReports checks the annual_reports.* keys.
func (c *Config) checkAnnualReports() []error {
	var errs []error
	if _, err := time.Parse("01-02", c.AnnualReports.Opens); err != nil {
		errs = append(errs, fmt.Errorf("config: annual_reports.opens: must be a month and day as MM-DD (e.g. 12-10), got %q", c.AnnualReports.Opens))
	}
	for i, y := range c.AnnualReports.Years {
		if n, err := strconv.Atoi(y); err != nil || n < 1970 || n > 9999 {
			errs = append(errs, fmt.Errorf("config: annual_reports.years: item %d %q must be a year such as 2025", i+1, y))
		}
	}
	return errs
}
