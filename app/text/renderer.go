package text

import (
	"html"
	"strings"
)

// displayURLLen is how many characters of a link, after its scheme and
// "www.", Mastodon shows before cutting it off with an ellipsis.
const displayURLLen = 30

// linkRel is the rel of rendered links: no endorsement for search engines,
// no window.opener and no Referer leaking which post a reader came from.
// Sanitize requires the same, so rendered links pass through it unchanged.
const linkRel = "nofollow noopener noreferrer"

// renderer holds what one Render call has resolved and found so far.
type renderer struct {
	opts     RenderOptions
	resolved map[string]Mention // by handle; only resolved handles
	// ambiguous holds lower-cased usernames shared by mentioned accounts of
	// different domains; those are shown with their domain, as Mastodon
	// does, so readers can tell them apart.
	ambiguous map[string]bool
	mentions  orderedSet
	hashtags  orderedSet
	links     orderedSet
}

func newRenderer(opts RenderOptions) *renderer {
	return &renderer{opts: opts, resolved: map[string]Mention{}, ambiguous: map[string]bool{}}
}

// resolveMentions looks every distinct handle up once, before any output, so
// that a post mentioning a handle twice costs one lookup and so that
// username clashes are known when the first of them is written.
func (r *renderer) resolveMentions(scanned [][][]entity) {
	tried := map[string]bool{}
	domains := map[string]string{} // lower-cased username -> first domain seen
	for _, lines := range scanned {
		for _, ents := range lines {
			for _, e := range ents {
				if e.kind != entityMention {
					continue
				}
				h := e.handle(r.opts.LocalDomain)
				if tried[h] {
					continue
				}
				tried[h] = true
				m, ok := r.lookup(h)
				if !ok {
					continue
				}
				r.resolved[h] = m
				user := strings.ToLower(m.Username)
				if d, seen := domains[user]; !seen {
					domains[user] = strings.ToLower(m.Domain)
				} else if d != strings.ToLower(m.Domain) {
					r.ambiguous[user] = true
				}
			}
		}
	}
}

// lookup resolves a handle with the caller's func, filling a blank username
// or domain from the handle so that a terse resolver still works.
func (r *renderer) lookup(handle string) (Mention, bool) {
	if r.opts.Mention == nil {
		return Mention{}, false
	}
	m, ok := r.opts.Mention(handle)
	if !ok || m.URL == "" {
		return Mention{}, false
	}
	user, domain, _ := strings.Cut(handle, "@")
	if m.Username == "" {
		m.Username = user
	}
	if m.Domain == "" {
		m.Domain = domain
	}
	return m, true
}

// writeURL writes a link the way Mastodon does: the scheme and "www." in an
// invisible span, the next 30 characters visible (with class "ellipsis" when
// more follow, for clients to draw "…"), the rest invisible. Copying the
// link text still yields the whole URL.
func (r *renderer) writeURL(b *strings.Builder, e entity) {
	url := e.text
	r.links.add(url)
	prefix := schemeLen(url)
	if len(url)-prefix >= 4 && strings.EqualFold(url[prefix:prefix+4], "www.") {
		prefix += 4
	}
	rest := url[prefix:]
	cut, n := len(rest), 0
	for i := range rest {
		if n == displayURLLen {
			cut = i
			break
		}
		n++
	}
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(url))
	b.WriteString(`" target="_blank" rel="` + linkRel + `" translate="no"><span class="invisible">`)
	b.WriteString(html.EscapeString(url[:prefix]))
	if cut < len(rest) {
		b.WriteString(`</span><span class="ellipsis">`)
	} else {
		b.WriteString(`</span><span>`)
	}
	b.WriteString(html.EscapeString(rest[:cut]))
	b.WriteString(`</span><span class="invisible">`)
	b.WriteString(html.EscapeString(rest[cut:]))
	b.WriteString(`</span></a>`)
}

// writeMention writes a resolved mention as Mastodon's h-card, or the text
// as typed when it did not resolve.
func (r *renderer) writeMention(b *strings.Builder, line string, e entity) {
	h := e.handle(r.opts.LocalDomain)
	m, ok := r.resolved[h]
	if !ok {
		b.WriteString(html.EscapeString(line[e.start:e.end]))
		return
	}
	canonical := m.Username + "@" + m.Domain
	if m.Domain == "" {
		canonical = m.Username
	}
	r.mentions.add(canonical)
	shown := m.Username
	if r.ambiguous[strings.ToLower(m.Username)] {
		shown = canonical
	}
	b.WriteString(`<span class="h-card" translate="no"><a href="`)
	b.WriteString(html.EscapeString(m.URL))
	b.WriteString(`" class="u-url mention">@<span>`)
	b.WriteString(html.EscapeString(shown))
	b.WriteString(`</span></a></span>`)
}

// writeHashtag writes a hashtag link showing the tag as typed and pointing
// at the page of its normalised form.
func (r *renderer) writeHashtag(b *strings.Builder, line string, e entity) {
	tag := normalizeTag(e.text)
	r.hashtags.add(tag)
	if r.opts.TagURL == nil {
		b.WriteString(html.EscapeString(line[e.start:e.end]))
		return
	}
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(r.opts.TagURL(tag)))
	b.WriteString(`" class="mention hashtag" rel="tag">#<span>`)
	b.WriteString(html.EscapeString(e.text))
	b.WriteString(`</span></a>`)
}
