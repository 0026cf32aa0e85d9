package mastodon_test

import (
	"net/http"
	"os"
	"testing"

	"pukeko/app/mastodon/spec"
)

// minServedOperations is the floor of the coverage report: raise it as
// endpoints land, so that none silently disappears.
const minServedOperations = 10

// patternMux registers the API's routes on a plain ServeMux for lookup.
type patternMux struct{ *http.ServeMux }

func (m patternMux) Handle(pattern string, h http.Handler) { m.ServeMux.Handle(pattern, h) }

// The coverage report: which of the operations of Mastodon's API
// description Pukeko serves (printed with -v, or written to the file
// named by PUKEKO_API_COVERAGE).
func TestAPICoverageReport(t *testing.T) {
	t.Parallel()
	s := spec.ForTest(t)
	srv := startServer(t, "a.test", nil)
	mux := patternMux{http.NewServeMux()}
	srv.OAuth.Register(mux)
	srv.API.Register(mux)
	report := s.Coverage(s.ServedByMux(mux.ServeMux))
	t.Logf("\n%s", report)
	if path := os.Getenv("PUKEKO_API_COVERAGE"); path != "" {
		if err := os.WriteFile(path, []byte(report.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if report.Served < minServedOperations {
		t.Fatalf("%d operations served, fewer than the floor of %d", report.Served, minServedOperations)
	}
}
