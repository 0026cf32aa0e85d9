package model

import "time"

// Poll is the poll of a post (a Question): its options, whether several
// may be chosen, when it ends and its counts. For our polls the counts are
// recounted from the votes here; for remote polls they are what the
// poll's server last said (plus our own identities' votes since). Its
// State is a state of the poll graph (app/social).
type Poll struct {
	PostID      ID
	Options     []string
	Multiple    bool
	HideTotals  bool
	Expires     *time.Time // nil: never
	Closed      *time.Time // nil: open
	VotersCount int
	Counts      []int // per option, in the order of Options
	State       string
}

// Ended reports whether voting is over at now: closed, or expired.
func (p *Poll) Ended(now time.Time) bool {
	return p.Closed != nil || (p.Expires != nil && !now.Before(*p.Expires))
}

// PollVote is one choice of one voter. URI is the vote's id (the Note it
// is federated as).
type PollVote struct {
	PostID     ID
	IdentityID ID
	Choice     int
	URI        string
	Created    time.Time
}
