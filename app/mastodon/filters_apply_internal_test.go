package mastodon

import (
	"net/http/httptest"
	"testing"

	"pukeko/app/model"
)

func TestFilterKeywordMatching(t *testing.T) {
	cases := []struct {
		text, keyword string
		wholeWord     bool
		want          bool
	}{
		{"i love kittens", "kitten", true, false},
		{"i love kittens", "kitten", false, true},
		{"a kitten!", "kitten", true, true},
		{"kitten", "kitten", true, true},
		{"the kitten_club", "kitten", true, false},
		{"kittenkitten kitten", "kitten", true, true},
		{"#kitten time", "#kitten", true, true},
		{"my#kitten", "#kitten", true, true}, // the keyword starts with no word character: no boundary there
		{"über katze", "katze", true, true},
		{"überkatze", "katze", true, false},
		{"façade", "ade", true, false},
		{"c'est ça", "ça", true, true},
		{"", "x", false, false},
		{"anything", "", false, false},
	}
	for _, c := range cases {
		if got := containsKeyword(c.text, c.keyword, c.wholeWord); got != c.want {
			t.Errorf("containsKeyword(%q, %q, %v) = %v", c.text, c.keyword, c.wholeWord, got)
		}
	}
}

// hidden drops statuses matched by a "hide" filter of the endpoint's
// context, and their boosts.
func TestFilterHidden(t *testing.T) {
	hide := FilterResult{Filter: Filter{FilterAction: model.FilterHide, Context: []string{model.FilterHome, model.FilterThread}}}
	warn := FilterResult{Filter: Filter{FilterAction: model.FilterWarn, Context: []string{model.FilterPublic}}}
	hiddenIn := func(path string, s *Status) bool {
		return (&renderer{c: &call{r: httptest.NewRequest("GET", path, nil)}}).hidden(s)
	}
	matched := &Status{Filtered: []any{hide}}
	warned := &Status{Filtered: []any{warn}}
	boost := &Status{Reblog: matched}
	cases := []struct {
		path string
		s    *Status
		want bool
	}{
		{"/api/v1/timelines/home", matched, true},
		{"/api/v1/timelines/list/1", matched, true},
		{"/api/v1/statuses/1/context", matched, true},
		{"/api/v1/timelines/public", matched, false},
		{"/api/v1/statuses/1", matched, false},
		{"/api/v1/timelines/home", boost, true},
		{"/api/v1/timelines/public", warned, false},
		{"/api/v1/timelines/home", &Status{}, false},
	}
	for _, c := range cases {
		if got := hiddenIn(c.path, c.s); got != c.want {
			t.Errorf("hidden at %s of %+v = %v", c.path, c.s, got)
		}
	}
	if filterContextOf(&call{}) != "" {
		t.Error("a call without a request has a context")
	}
}
