package model

import "time"

// Interaction types.
const (
	InteractionLike     = "like"
	InteractionBoost    = "boost"
	InteractionVote     = "vote"
	InteractionPin      = "pin"
	InteractionReaction = "reaction"
)

// Interaction is Identity liking, boosting, pinning, voting on or reacting
// to Post. URI is the id of its activity; Value the emoji of a reaction or
// the choice of a vote. Its State is a state of the interaction graph
// (app/social).
type Interaction struct {
	ID         ID
	Type       string
	IdentityID ID
	PostID     ID
	URI        string
	Value      string
	State      string
	Created    time.Time
}

// PostCounts are a post's counters.
type PostCounts struct {
	Likes, Boosts, Replies, Reactions int
}

// Notification is an event of a local identity's notifications: Subject
// did something (followed, liked Post, ...).
type Notification struct {
	ID         int64
	IdentityID ID
	Type       string
	PostID     ID // 0 when none (follows)
	SubjectID  ID
	Created    time.Time
	Seen       bool
}
