package model

import "time"

// Announcement is a message of the admins to the users of one local domain
// (Domain) or of all ("").
type Announcement struct {
	ID        ID
	Domain    string
	Text      string // as typed
	Content   string // HTML
	StartsAt  *time.Time
	EndsAt    *time.Time
	AllDay    bool
	Published *time.Time // nil for a draft
	Created   time.Time
	Updated   time.Time
}

// AnnouncementReaction is how many reacted to an announcement with Name
// (a Unicode emoji or one of our emoji's shortcode), and whether the
// viewer did.
type AnnouncementReaction struct {
	Name  string
	Count int
	Me    bool
}
