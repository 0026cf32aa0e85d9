package federation

import (
	"strings"
	"testing"
)

func TestStatusErrorPermanent(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]bool{
		301: false, 400: true, 401: true, 403: true, 404: true, 410: true, 422: true,
		408: false, 425: false, 429: false, 500: false, 502: false, 503: false,
	} {
		if got := (&StatusError{Code: code}).Permanent(); got != want {
			t.Errorf("Permanent() for %d = %v, want %v", code, got, want)
		}
	}
}

func TestStatusErrorMessage(t *testing.T) {
	t.Parallel()
	msg := (&StatusError{URL: "https://a.test/inbox", Code: 403, Body: "no\nthanks"}).Error()
	for _, part := range []string{"https://a.test/inbox", "403", "Forbidden", `"no\nthanks"`} {
		if !strings.Contains(msg, part) {
			t.Errorf("%q lacks %q", msg, part)
		}
	}
}
