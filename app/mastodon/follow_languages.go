package mastodon

import "strings"

// canonicalLanguage writes a language code as Mastodon's locales are
// written: the language in lower case, a two-letter region in upper case
// ("EN" is "en", "pt-br" is "pt-BR").
func canonicalLanguage(s string) string {
	code, region, ok := strings.Cut(s, "-")
	code = strings.ToLower(code)
	if !ok {
		return code
	}
	if len(region) == 2 {
		return code + "-" + strings.ToUpper(region)
	}
	return code + "-" + region
}
