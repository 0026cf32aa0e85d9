package model

import (
	"encoding/json"
	"time"
)

// AnnualReport is a local identity's year summed up ("Wrapstodon"): Data
// holds the figures in Mastodon's layout of SchemaVersion, nil until
// generated. Its State is a state of the annual report graph (app/social).
type AnnualReport struct {
	ID            ID
	IdentityID    ID
	Year          int
	SchemaVersion int
	Data          json.RawMessage
	ShareKey      string
	Viewed        *time.Time
	Created       time.Time
	State         string
	StateChanged  time.Time
}

// ContextRefresh is the fetch of a remote post's replies from its server:
// ResultCount posts stored so far. Its State is a state of the context
// refresh graph (app/social).
type ContextRefresh struct {
	ID           ID
	PostID       ID
	ResultCount  int
	State        string
	StateChanged time.Time
}
