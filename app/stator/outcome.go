package stator

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// outcome is what happened to one claimed row, to be written in a batch.
type outcome struct {
	id       int64
	lease    *lease // the claim this outcome belongs to
	delete   bool
	state    string         // the state after this outcome
	changed  bool           // true when state is a new state (reset attempts)
	attempts int            // state_attempts to write
	errText  *string        // state_error to write (nil clears it)
	delay    *time.Duration // next attempt from now; nil for never
	failed   bool           // counts as a failed attempt in the stats
	from     string         // the state the row was claimed in
}

// maxErrorLength bounds state_error: a handler may fail with a whole HTML
// page, and the row only needs the gist.
const maxErrorLength = 1000

// errorText makes err storable: valid UTF-8, no NUL bytes (PostgreSQL text
// cannot hold them), at most maxErrorLength bytes.
func errorText(err error) *string {
	s := strings.ToValidUTF8(err.Error(), "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) > maxErrorLength {
		cut := maxErrorLength
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return &s
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// deferError asks for another try after a pause without counting a failure.
type deferError struct{ after time.Duration }

func (e deferError) Error() string { return fmt.Sprintf("deferred for %s", e.after) }

// Defer returns an error that makes the engine try the row again after d,
// without counting a failed attempt: for a handler that cannot run now (a
// per-host limit is full) through no fault of the row.
func Defer(d time.Duration) error { return deferError{after: d} }

func asDefer(err error) (time.Duration, bool) {
	var d deferError
	if errors.As(err, &d) {
		return d.after, true
	}
	return 0, false
}
