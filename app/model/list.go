package model

import "time"

// Replies policies of a list: which replies of its members it shows
// (replies to the list's owner always show).
const (
	RepliesFollowed = "followed" // replies to anyone the owner follows
	RepliesList     = "list"     // replies to members of the list
	RepliesNone     = "none"     // no replies to others
)

// List is a list of accounts its owner follows, read as a timeline.
type List struct {
	ID            ID
	IdentityID    ID // the owner
	Title         string
	RepliesPolicy string
	// Exclusive lists keep their members' posts out of the owner's home
	// timeline.
	Exclusive bool
	Created   time.Time
}
