package social

import (
	"encoding/json"
	"strconv"

	"pukeko/app/model"
	"pukeko/app/store"
)

// AnnualReportSchema is the layout of the reports made here: Mastodon's
// schema version 2 (archetype, time_series, top_hashtags, top_statuses).
const AnnualReportSchema = 2

// Archetypes: a playful and very coarse picture of how one posted.
const (
	ArchetypeLurker   = "lurker"
	ArchetypeBooster  = "booster"
	ArchetypePollster = "pollster"
	ArchetypeReplier  = "replier"
	ArchetypeOracle   = "oracle"
)

// Mastodon's thresholds: below averagePerYear statuses one lurks (the
// average of active users in 2023); boosts or replies more than
// scoreMultiplier times the standalone posts make a booster or a replier;
// polls above scoreReducer of them a pollster.
const (
	averagePerYear  = 113
	scoreMultiplier = 2
	scoreReducer    = 0.1
)

// archetype picks the archetype of a year's figures, as Mastodon does.
func archetype(f *store.AnnualFigures) string {
	standalone, replies, boosts := float64(f.Standalone), float64(f.Replies), float64(f.Boosts)
	switch {
	case f.Standalone+f.Replies+f.Boosts < averagePerYear:
		return ArchetypeLurker
	case boosts > standalone*scoreMultiplier:
		return ArchetypeBooster
	case float64(f.Polls) > standalone*scoreReducer:
		return ArchetypePollster
	case replies > standalone*scoreMultiplier:
		return ArchetypeReplier
	}
	return ArchetypeOracle
}

// reportMonth is one month of time_series.
type reportMonth struct {
	Month     int `json:"month"`
	Statuses  int `json:"statuses"`
	Following int `json:"following"`
	Followers int `json:"followers"`
}

// reportHashtag is one entry of top_hashtags.
type reportHashtag struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// reportTopStatuses is top_statuses: post ids as strings, null when none.
type reportTopStatuses struct {
	ByReblogs    *string `json:"by_reblogs"`
	ByFavourites *string `json:"by_favourites"`
	ByReplies    *string `json:"by_replies"`
}

// reportData is a report's data in schema version 2.
type reportData struct {
	Archetype   string            `json:"archetype"`
	TimeSeries  []reportMonth     `json:"time_series"`
	TopHashtags []reportHashtag   `json:"top_hashtags"`
	TopStatuses reportTopStatuses `json:"top_statuses"`
}

// annualReportData renders figures as a report's data.
func annualReportData(f *store.AnnualFigures) ([]byte, error) {
	d := reportData{
		Archetype:   archetype(f),
		TimeSeries:  make([]reportMonth, 0, 12),
		TopHashtags: make([]reportHashtag, 0, len(f.Hashtags)),
		TopStatuses: reportTopStatuses{
			ByReblogs:    reportIDString(f.TopBoosted),
			ByFavourites: reportIDString(f.TopLiked),
			ByReplies:    reportIDString(f.TopReplied),
		},
	}
	for m := 1; m <= 12; m++ {
		d.TimeSeries = append(d.TimeSeries, reportMonth{Month: m, Statuses: f.Statuses[m], Following: f.Following[m], Followers: f.Followers[m]})
	}
	for _, h := range f.Hashtags {
		d.TopHashtags = append(d.TopHashtags, reportHashtag{Name: h.Name, Count: h.Count})
	}
	return json.Marshal(d)
}

// reportIDString renders an id as the API does, nil for 0.
func reportIDString(id model.ID) *string {
	if id == 0 {
		return nil
	}
	s := strconv.FormatInt(int64(id), 10)
	return &s
}

// AnnualReportPostIDs returns the posts a report's data names (its top
// statuses), for rendering beside it.
func AnnualReportPostIDs(r *model.AnnualReport) []model.ID {
	var d struct {
		TopStatuses map[string]*string `json:"top_statuses"`
	}
	if len(r.Data) == 0 || json.Unmarshal(r.Data, &d) != nil {
		return nil
	}
	var out []model.ID
	for _, key := range []string{"by_reblogs", "by_favourites", "by_replies"} {
		if s := d.TopStatuses[key]; s != nil {
			if v, err := strconv.ParseInt(*s, 10, 64); err == nil && v != 0 {
				out = append(out, model.ID(v))
			}
		}
	}
	return out
}
