package spec

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// String prints the report: a summary line, a table of counts by tag, then
// every operation grouped by tag, marked served and exercised.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Mastodon API %s coverage: %d of %d operations served (non-admin: %d of %d), %d exercised by tests\n\n",
		r.Version, r.Served, r.Total, r.ServedNonAdmin, r.TotalNonAdmin, r.Exercised)

	groups := map[string][]CoverageRow{}
	for _, row := range r.Rows {
		groups[row.tag()] = append(groups[row.tag()], row)
	}
	tags := make([]string, 0, len(groups))
	for tag := range groups {
		tags = append(tags, tag)
	}
	sort.Strings(tags)

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TAG\tSERVED\tTOTAL\tEXERCISED")
	for _, tag := range tags {
		served, exercised := 0, 0
		for _, row := range groups[tag] {
			if row.Served {
				served++
			}
			if row.Exercised {
				exercised++
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", tag, served, len(groups[tag]), exercised)
	}
	fmt.Fprintf(tw, "all\t%d\t%d\t%d\n", r.Served, r.Total, r.Exercised)
	tw.Flush()

	for _, tag := range tags {
		fmt.Fprintf(&b, "\n%s\n", tag)
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, row := range groups[tag] {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", mark(row), row.Method, row.Path, row.OperationID)
		}
		tw.Flush()
	}
	return b.String()
}

// mark is the status column of an operation line.
func mark(row CoverageRow) string {
	switch {
	case row.Served && row.Exercised:
		return "[served, tested]"
	case row.Served:
		return "[served]"
	case row.Exercised:
		return "[tested, not routed]" // a response was seen, yet served says no: a bug in served
	}
	return "[ ]"
}

// WriteCoverage loads the spec at specPath ("" finds it with Locate), works
// out the coverage for served and prints the report to w. It needs no
// testing.T, for a pukeko subcommand as much as for a test.
func WriteCoverage(w io.Writer, specPath string, served func(method, path string) bool) error {
	var s *Spec
	var err error
	if specPath == "" {
		s, err = Load()
	} else {
		s, err = LoadFile(specPath)
	}
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, s.Coverage(served).String())
	return err
}
