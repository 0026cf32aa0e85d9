package httpsig

import (
	"net/http"
	"time"
)

// DefaultMaxSkew is the allowed distance between the signer's clock (Date,
// created) and ours when Options.MaxSkew is zero. Mastodon accepts Date
// values up to 12 hours old, and queued deliveries are retried with the
// original Date, so anything tighter rejects legitimate retries.
const DefaultMaxSkew = 12 * time.Hour

// checkDate rejects a Date header that is unparsable or further than
// maxSkew from now in either direction.
func checkDate(value string, now time.Time, maxSkew time.Duration) error {
	t, err := http.ParseTime(value)
	if err != nil {
		return unverified("malformed date %q", value)
	}
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return unverified("date outside allowed skew (%s, max %s)", describeAge(d), maxSkew)
	}
	return nil
}

// checkCreated rejects a signature creation time further than maxSkew from
// now: in the future it is forged or from a broken clock, in the past it is
// a replay.
func checkCreated(created int64, now time.Time, maxSkew time.Duration) error {
	if d := now.Sub(time.Unix(created, 0)); d > maxSkew || d < -maxSkew {
		return unverified("created outside allowed skew (%s, max %s)", describeAge(d), maxSkew)
	}
	return nil
}

// describeAge says how far a timestamp age d lies from now, and on which side.
func describeAge(d time.Duration) string {
	if d < 0 {
		return (-d).Round(time.Second).String() + " in the future"
	}
	return d.Round(time.Second).String() + " old"
}

// checkExpires rejects a signature whose expiry time has passed.
func checkExpires(expires time.Time, now time.Time) error {
	if now.After(expires) {
		return unverified("signature expired at %s", expires.UTC().Format(time.RFC3339))
	}
	return nil
}
