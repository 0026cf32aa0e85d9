package mastodon

import (
	"pukeko/app/model"
)

// Filter is Mastodon's Filter (v2). Keywords and statuses are left out
// where Mastodon leaves them out: inside a FilterResult.
type Filter struct {
	ID           string           `json:"id"`
	Title        string           `json:"title"`
	Context      []string         `json:"context"`
	ExpiresAt    *string          `json:"expires_at"`
	FilterAction string           `json:"filter_action"`
	Keywords     *[]FilterKeyword `json:"keywords,omitempty"`
	Statuses     *[]FilterStatus  `json:"statuses,omitempty"`
}

// FilterKeyword is a keyword of a filter.
type FilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// FilterStatus is a status a filter names.
type FilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

// FilterResult is a filter matching a status (Status.filtered).
type FilterResult struct {
	Filter         Filter   `json:"filter"`
	KeywordMatches []string `json:"keyword_matches"`
	StatusMatches  []string `json:"status_matches"`
}

// V1Filter is a v1 filter: one keyword of a filter, with its filter's
// context, expiry and action.
type V1Filter struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	WholeWord    bool     `json:"whole_word"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
}

// renderFilter renders a filter, with its keywords and statuses when
// rules is set.
func renderFilter(f *model.Filter, rules bool) Filter {
	out := Filter{
		ID:           idStr(f.ID),
		Title:        f.Title,
		Context:      append([]string{}, f.Context...),
		ExpiresAt:    tsPtr(f.Expires),
		FilterAction: f.Action,
	}
	if rules {
		keywords := make([]FilterKeyword, 0, len(f.Keywords))
		for _, k := range f.Keywords {
			keywords = append(keywords, renderKeyword(k))
		}
		statuses := make([]FilterStatus, 0, len(f.Statuses))
		for _, s := range f.Statuses {
			statuses = append(statuses, renderFilterStatus(s))
		}
		out.Keywords, out.Statuses = &keywords, &statuses
	}
	return out
}

func renderKeyword(k model.FilterKeyword) FilterKeyword {
	return FilterKeyword{ID: idStr(k.ID), Keyword: k.Keyword, WholeWord: k.WholeWord}
}

func renderFilterStatus(s model.FilterStatus) FilterStatus {
	return FilterStatus{ID: idStr(s.ID), StatusID: idStr(s.PostID)}
}

// renderV1Filter renders a keyword of f as a v1 filter.
func renderV1Filter(f *model.Filter, k model.FilterKeyword) V1Filter {
	return V1Filter{
		ID:           idStr(k.ID),
		Phrase:       k.Keyword,
		Context:      append([]string{}, f.Context...),
		WholeWord:    k.WholeWord,
		ExpiresAt:    tsPtr(f.Expires),
		Irreversible: f.Action == model.FilterHide,
	}
}
