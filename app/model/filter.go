package model

import (
	"slices"
	"time"
)

// Filter contexts: where a filter applies.
const (
	FilterHome          = "home"
	FilterNotifications = "notifications"
	FilterPublic        = "public"
	FilterThread        = "thread"
	FilterAccount       = "account"
)

// Filter actions: what a match does.
const (
	FilterWarn = "warn" // show the post behind a warning
	FilterHide = "hide" // leave the post out
	FilterBlur = "blur" // hide its media behind a warning
)

// FilterContexts lists every context, in Mastodon's order.
var FilterContexts = []string{FilterHome, FilterNotifications, FilterPublic, FilterThread, FilterAccount}

// ValidFilterAction reports whether a is a filter action.
func ValidFilterAction(a string) bool {
	return a == FilterWarn || a == FilterHide || a == FilterBlur
}

// Filter is what an identity does not want to see: posts matching one of
// its keywords, or the posts it names, in its contexts.
type Filter struct {
	ID         ID
	IdentityID ID
	Title      string
	Context    []string
	Action     string
	Expires    *time.Time
	Keywords   []FilterKeyword
	Statuses   []FilterStatus
	Created    time.Time
}

// Expired reports whether the filter has ended by now.
func (f *Filter) Expired(now time.Time) bool {
	return f.Expires != nil && !f.Expires.After(now)
}

// AppliesTo reports whether the filter applies in context.
func (f *Filter) AppliesTo(context string) bool { return slices.Contains(f.Context, context) }

// FilterKeyword is a word or phrase of a filter. A whole-word keyword
// matches only where it starts and ends at word boundaries.
type FilterKeyword struct {
	ID        ID     `json:"id"`
	FilterID  ID     `json:"filter_id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

// FilterStatus is a post a filter names.
type FilterStatus struct {
	ID       ID `json:"id"`
	FilterID ID `json:"filter_id"`
	PostID   ID `json:"post_id"`
}
