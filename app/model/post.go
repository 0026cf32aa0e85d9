package model

import "time"

// Post visibilities.
const (
	VisibilityPublic   = "public"   // to everyone, in public timelines
	VisibilityUnlisted = "unlisted" // to everyone, not in public timelines
	VisibilityPrivate  = "private"  // to the author's followers (and the mentioned)
	VisibilityDirect   = "direct"   // to the mentioned only
	VisibilityLocal    = "local"    // public on this server, never federated
)

// ValidVisibility reports whether v is a visibility.
func ValidVisibility(v string) bool {
	switch v {
	case VisibilityPublic, VisibilityUnlisted, VisibilityPrivate, VisibilityDirect, VisibilityLocal:
		return true
	}
	return false
}

// Post is a status: one of ours (Local, with its Source text) or one
// received from another server. Its State is a state of the post graph
// (app/social).
type Post struct {
	ID         ID
	AuthorID   ID
	Local      bool
	URI        string
	URL        string
	ObjectType string // Note, Question, Article, Page
	Visibility string
	Content    string // HTML
	Source     string // as typed, local posts only
	Summary    string // content warning, plain text
	Sensitive  bool
	Language   string
	Title      string // Article and Page
	// Context is the thread the post belongs to (ActivityPub's context).
	Context      string
	InReplyToURI string
	InReplyToID  ID // 0 when not a reply or the parent is unknown here
	Mentions     []ID
	Hashtags     []string
	Published    time.Time
	Edited       *time.Time
	Deleted      *time.Time
	Created      time.Time
	State        string
}

// PostEdit is a version of a post that an edit replaced.
type PostEdit struct {
	ID        ID
	PostID    ID
	Edited    time.Time // when this version was replaced
	Content   string
	Summary   string
	Sensitive bool
}
