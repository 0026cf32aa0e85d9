package httpsig

import (
	"errors"
	"fmt"
)

// ErrUnverified is wrapped by every error Verify returns, so that callers can
// answer 401 Unauthorized with errors.Is and log the rest of the message,
// which says what failed.
var ErrUnverified = errors.New("httpsig: request not verified")

// unverified builds a verification failure. The format may use %w to keep a
// cause (a KeyFunc error, say) reachable with errors.Is and errors.As.
func unverified(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrUnverified}, args...)...)
}
