package mastodon_test

import (
	"net/http"
	"testing"
)

// minServedOperations is the floor of the coverage report: raise it as
// endpoints land, so that none silently disappears.
const minServedOperations = 210

// multiplexed are the patterns that serve several of the description's
// operations, because ServeMux would find their own patterns in conflict
// (/api/v2/filters/keywords/{id} and /api/v2/filters/{filter_id}/keywords
// both match /api/v2/filters/keywords/keywords).
var multiplexed = map[string]bool{
	"GET /api/v2/filters/{first}/{second}":  true,
	"POST /api/v1/notifications/{id}":       true,
	"GET /api/v2/notifications/{group_key}": true,
}

// coverageServed tells which operations Pukeko serves, for the report
// TestMain writes after every test ran.
var coverageServed func(method, path string) bool

// patternMux registers the API's routes on a plain ServeMux for lookup.
type patternMux struct{ *http.ServeMux }

func (m patternMux) Handle(pattern string, h http.Handler) { m.ServeMux.Handle(pattern, h) }

// The coverage report: which of the operations of Mastodon's API
// description Pukeko serves (printed with -v; TestMain writes it, with
// what the tests exercised, to the file named by PUKEKO_API_COVERAGE).
func TestAPICoverageReport(t *testing.T) {
	t.Parallel()
	s := specFor(t)
	if s == nil {
		t.Skip("../shared/mastodon-openapi.json is not beside the repository: no coverage report")
	}
	srv := startServer(t, "a.test", nil)
	mux := patternMux{http.NewServeMux()}
	srv.OAuth.Register(mux)
	srv.API.Register(mux)
	shaped := s.ServedByMux(mux.ServeMux)
	served := func(method, path string) bool {
		if shaped(method, path) {
			return true
		}
		// Routes ServeMux cannot tell apart are served by one pattern
		// that dispatches on the path (see the multiplexed handlers).
		r, err := http.NewRequest(method, path, nil)
		if err != nil {
			return false
		}
		_, pattern := mux.Handler(r)
		return multiplexed[pattern]
	}
	coverageServed = served
	report := s.Coverage(served)
	t.Logf("\n%s", report)
	if report.Served < minServedOperations {
		t.Fatalf("%d operations served, fewer than the floor of %d", report.Served, minServedOperations)
	}
}
