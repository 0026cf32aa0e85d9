package social

import (
	"slices"
	"testing"
	"time"

	"pukeko/app/store"
)

func TestArchetypeAsMastodonPicksIt(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    store.AnnualFigures
		want string
	}{
		{"few statuses", store.AnnualFigures{Standalone: 50, Replies: 30, Boosts: 32}, ArchetypeLurker},
		{"boosts over twice the posts", store.AnnualFigures{Standalone: 40, Replies: 10, Boosts: 81}, ArchetypeBooster},
		{"polls over a tenth of the posts", store.AnnualFigures{Standalone: 100, Replies: 10, Boosts: 10, Polls: 11}, ArchetypePollster},
		{"replies over twice the posts", store.AnnualFigures{Standalone: 40, Replies: 81, Boosts: 10}, ArchetypeReplier},
		{"posts above all", store.AnnualFigures{Standalone: 100, Replies: 50, Boosts: 50, Polls: 10}, ArchetypeOracle},
	} {
		if got := archetype(&tc.f); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestAnnualReportYearsOpen(t *testing.T) {
	t.Parallel()
	at := func(s string) func() time.Time {
		return func() time.Time { v, _ := time.Parse(time.DateOnly, s); return v }
	}
	for _, tc := range []struct {
		name   string
		policy AnnualReportPolicy
		want   []int
	}{
		{"before the opening day", AnnualReportPolicy{Enabled: true, OpensMonth: time.December, OpensDay: 10, Now: at("2025-12-09")}, []int{}},
		{"on the opening day", AnnualReportPolicy{Enabled: true, OpensMonth: time.December, OpensDay: 10, Now: at("2025-12-10")}, []int{2025}},
		{"further years", AnnualReportPolicy{Enabled: true, OpensMonth: time.December, OpensDay: 10, Years: []int{2025, 2024}, Now: at("2026-01-15")}, []int{2024, 2025}},
		{"off", AnnualReportPolicy{Enabled: false, OpensMonth: time.January, OpensDay: 1, Years: []int{2024}, Now: at("2026-01-15")}, []int{}},
	} {
		got := tc.policy.OpenYears()
		if !slices.Equal(append([]int{}, got...), tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if y, ok := (AnnualReportPolicy{Enabled: true, Years: []int{2024}, OpensMonth: time.December, OpensDay: 10, Now: at("2025-12-31")}).Campaign(); !ok || y != 2025 {
		t.Errorf("campaign %d %v, want 2025", y, ok)
	}
}
