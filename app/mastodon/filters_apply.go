package mastodon

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"weak"

	"pukeko/app/model"
	"pukeko/app/store"
	"pukeko/app/text"
)

// The viewer's filters applied to what is rendered: every status rendered
// for a logged-in viewer carries the FilterResults of the filters in force
// that match it, whatever their context, as Mastodon renders them (clients
// act on those of the context they show). Filters with the action "hide"
// also take the status out of timelines of their contexts (hidden).

// viewerFilters caches the filters of a call's viewer, loaded on the first
// status rendered, so that a page costs one query. Entries are keyed by a
// weak pointer to the call and go when the call is collected: calls made
// by the streaming API live on long-lived contexts, so a context's end
// cannot be what clears them.
var viewerFilters sync.Map // filterKey -> *filterSet

type filterKey struct {
	c      weak.Pointer[call]
	viewer model.ID
}

// filterSet is a viewer's filters in force, ready to match.
type filterSet struct {
	filters []*model.Filter
	lowered [][]string // per filter, its keywords lower-cased
}

// viewerFilterSet returns the filters of the call's viewer, loading them
// once per call.
func (rd *renderer) viewerFilterSet() (*filterSet, error) {
	if rd.c.filters != nil {
		return rd.c.filters, nil
	}
	key := filterKey{c: weak.Make(rd.c), viewer: rd.c.viewer.ID}
	if v, ok := viewerFilters.Load(key); ok {
		return v.(*filterSet), nil
	}
	filters, err := store.ActiveFilters(rd.ctx(), rd.c.api.In.DB, rd.c.viewer.ID)
	if err != nil {
		return nil, err
	}
	fs := &filterSet{filters: filters, lowered: make([][]string, len(filters))}
	for k, f := range filters {
		for _, kw := range f.Keywords {
			fs.lowered[k] = append(fs.lowered[k], strings.ToLower(kw.Keyword))
		}
	}
	if _, loaded := viewerFilters.LoadOrStore(key, fs); !loaded {
		runtime.AddCleanup(rd.c, func(k filterKey) { viewerFilters.Delete(k) }, key)
	}
	return fs, nil
}

// filtered returns the FilterResults of the viewer's filters that match a
// rendered post (Status.filtered). The viewer's own posts are never
// filtered, as in Mastodon.
func (rd *renderer) filtered(p *model.Post, s *Status) []any {
	if rd.c.viewer == nil || p.AuthorID == rd.c.viewer.ID {
		return []any{}
	}
	fs, err := rd.viewerFilterSet()
	if err != nil {
		// A status without its filter marks beats a failed page.
		rd.c.api.Logger.Warn("api: loading filters failed", "identity", rd.c.viewer.ID, "error", err)
		return []any{}
	}
	if len(fs.filters) == 0 {
		return []any{}
	}
	var searchable string // built on the first keyword filter
	out := []any{}
	for k, f := range fs.filters {
		var keywords, statuses []string
		if len(f.Keywords) > 0 {
			if searchable == "" {
				searchable = strings.ToLower(searchableText(s))
			}
			for n, kw := range f.Keywords {
				if containsKeyword(searchable, fs.lowered[k][n], kw.WholeWord) {
					keywords = append(keywords, kw.Keyword)
				}
			}
		}
		for _, fst := range f.Statuses {
			if fst.PostID == p.ID {
				statuses = append(statuses, idStr(p.ID))
			}
		}
		if keywords == nil && statuses == nil {
			continue
		}
		out = append(out, FilterResult{Filter: renderFilter(f, false), KeywordMatches: keywords, StatusMatches: statuses})
	}
	return out
}

// searchableText is what keywords are matched against, as Mastodon builds
// it: the content warning, the text without markup, the poll's options and
// the attachments' descriptions.
func searchableText(s *Status) string {
	parts := []string{s.SpoilerText, text.PlainText(s.Content)}
	if s.Poll != nil {
		for _, o := range s.Poll.Options {
			parts = append(parts, o.Title)
		}
	}
	for _, m := range s.MediaAttachments {
		if m.Description != nil {
			parts = append(parts, *m.Description)
		}
	}
	return strings.Join(parts, "\n\n")
}

// containsKeyword reports whether keyword (lower-cased) occurs in text
// (lower-cased). A whole-word keyword must not run on into letters,
// digits, marks or underscores at an end that is itself a word character
// (Mastodon's \b, which it only puts where the keyword has a word
// character).
func containsKeyword(text, keyword string, wholeWord bool) bool {
	if keyword == "" {
		return false
	}
	if !wholeWord {
		return strings.Contains(text, keyword)
	}
	first, _ := utf8.DecodeRuneInString(keyword)
	last, _ := utf8.DecodeLastRuneInString(keyword)
	checkStart, checkEnd := isWordRune(first), isWordRune(last)
	for from := 0; from < len(text); {
		i := strings.Index(text[from:], keyword)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(keyword)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (!checkStart || start == 0 || !isWordRune(before)) && (!checkEnd || end == len(text) || !isWordRune(after)) {
			return true
		}
		_, size := utf8.DecodeRuneInString(text[start:])
		from = start + size
	}
	return false
}

// isWordRune is Ruby's [[:word:]]: letters, marks, digits and connector
// punctuation.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || unicode.Is(unicode.Pc, r)
}

// hidden reports whether a rendered status (or the status it boosts)
// matches a filter with the action "hide" applying to the context of the
// request (home for the home and list timelines, public for the public
// and hashtag ones, account for an account's posts, thread for a
// conversation, notifications for notifications): timelines leave such
// statuses out. Elsewhere (a single status) nothing is hidden.
func (rd *renderer) hidden(s *Status) bool {
	ctx := filterContextOf(rd.c)
	if ctx == "" || s == nil {
		return false
	}
	for _, st := range []*Status{s, s.Reblog} {
		if st == nil {
			continue
		}
		for _, r := range st.Filtered {
			if fr, ok := r.(FilterResult); ok && fr.Filter.FilterAction == model.FilterHide && slices.Contains(fr.Filter.Context, ctx) {
				return true
			}
		}
	}
	return false
}

// filterContextOf is the filter context of the endpoint serving c, "" for
// endpoints that hide nothing.
func filterContextOf(c *call) string {
	if c.r == nil || c.r.URL == nil {
		return ""
	}
	p := strings.TrimSuffix(c.r.URL.Path, "/")
	switch {
	case p == "/api/v1/timelines/home", strings.HasPrefix(p, "/api/v1/timelines/list/"):
		return model.FilterHome
	case p == "/api/v1/timelines/public", strings.HasPrefix(p, "/api/v1/timelines/tag/"), p == "/api/v1/timelines/link",
		p == "/api/v1/trends/statuses":
		return model.FilterPublic
	case strings.HasPrefix(p, "/api/v1/accounts/") && strings.HasSuffix(p, "/statuses"):
		return model.FilterAccount
	case strings.HasPrefix(p, "/api/v1/statuses/") && strings.HasSuffix(p, "/context"):
		return model.FilterThread
	case strings.HasPrefix(p, "/api/v1/notifications"), strings.HasPrefix(p, "/api/v2/notifications"):
		return model.FilterNotifications
	}
	return ""
}
