package social

import "time"

// Limits are the limits of posting here, as the instance endpoints tell
// clients: every value in force (defaults filled in).
type Limits struct {
	MaxPostLength       int
	MaxAttachments      int
	MaxPins             int
	MaxPollOptions      int
	MaxPollOptionLength int
	MinPollExpiry       time.Duration
	MaxPollExpiry       time.Duration
}

// Limits returns the limits in force.
func (in *Instance) Limits() Limits {
	return Limits{
		MaxPostLength:       in.maxPostLength(),
		MaxAttachments:      in.maxAttachments(),
		MaxPins:             in.maxPins(),
		MaxPollOptions:      orDefault(in.MaxPollOptions, DefaultMaxPollOptions),
		MaxPollOptionLength: orDefault(in.MaxPollOptionLength, DefaultMaxPollOptionLength),
		MinPollExpiry:       orDefault(in.MinPollExpiry, DefaultMinPollExpiry),
		MaxPollExpiry:       orDefault(in.MaxPollExpiry, DefaultMaxPollExpiry),
	}
}
