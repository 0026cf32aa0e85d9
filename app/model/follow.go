package model

import "time"

// Follow is Source following Target. Its State is a state of the follow
// graph (app/social).
type Follow struct {
	ID       ID
	SourceID ID
	TargetID ID
	URI      string
	Boosts   bool
	Notify   bool
	State    string
	Created  time.Time
}

// Block is Source blocking (or, with Mute, muting) Target.
type Block struct {
	ID            ID
	SourceID      ID
	TargetID      ID
	Mute          bool
	URI           string
	Notifications bool
	Expires       *time.Time
	State         string
	Created       time.Time
}
