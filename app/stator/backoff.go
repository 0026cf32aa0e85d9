package stator

import (
	"math"
	"math/rand/v2"
	"time"
)

// Backoff is a retry policy: the n-th consecutive failed attempt waits
// Base·2^(n-1), at most Max, spread by ±Jitter (a fraction) so that rows that
// failed together do not all come back together.
type Backoff struct {
	Base   time.Duration
	Max    time.Duration
	Jitter float64
}

// DefaultBackoff starts at ten seconds and levels off at six hours: a remote
// server that is down for days gets a handful of attempts a day.
var DefaultBackoff = Backoff{Base: 10 * time.Second, Max: 6 * time.Hour, Jitter: 0.2}

// Delay returns the pause after the given number of consecutive failures
// (1 for the first).
func (b Backoff) Delay(failures int) time.Duration {
	if failures < 1 {
		failures = 1
	}
	d := float64(b.Base) * math.Pow(2, float64(failures-1))
	if b.Max > 0 && d > float64(b.Max) {
		d = float64(b.Max)
	}
	if b.Jitter > 0 {
		d *= 1 + b.Jitter*(2*rand.Float64()-1)
	}
	return time.Duration(d)
}
