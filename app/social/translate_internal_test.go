package social

import "testing"

func TestLanguagePairs(t *testing.T) {
	t.Parallel()
	langs := map[string][]string{"en": {"de", "pt", "zh-Hant"}, "de": {"en"}, "": {"de", "en", "pt", "zh-Hant"}}
	for _, tc := range []struct {
		source, target string
		want           [2]string
		ok             bool
	}{
		{"en", "de", [2]string{"en", "de"}, true},
		{"en-GB", "pt-BR", [2]string{"en", "pt"}, true},
		{"EN", "zh-hant", [2]string{"en", "zh-Hant"}, true},
		{"en", "en", [2]string{}, false},
		{"fr", "en", [2]string{}, false},
		{"", "en", [2]string{"", "en"}, true},
	} {
		s, d, ok := languagePair(langs, tc.source, tc.target)
		if ok != tc.ok || (ok && [2]string{s, d} != tc.want) {
			t.Errorf("%s -> %s: %q %q %v", tc.source, tc.target, s, d, ok)
		}
	}
}
