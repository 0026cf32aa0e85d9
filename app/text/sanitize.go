package text

// Sanitize cleans HTML from another server down to what Mastodon keeps:
// paragraphs, line breaks, links, spans and basic inline and list
// formatting. Other elements are stripped with their text kept, except
// script and style, which go with their content; headings become bold
// paragraphs. Links keep only http, https and mailto targets, losing the
// link but not its text otherwise, and always carry nofollow, noopener and
// noreferrer in rel (plus target="_blank" when external).
// Classes are limited to those of Mastodon's mention, hashtag and link
// markup, so that markup survives apart from rel and target.
func Sanitize(html string) string {
	return policy().Sanitize(prepare(html))
}
