package mastodon_test

import (
	"fmt"
	"os"
	"testing"

	"pukeko/app/mastodon"

	"pukeko/app/testkit"
)

// TestMain runs the tests on a real PostgreSQL; with PUKEKO_API_COVERAGE
// set to a file name, it then writes the coverage report there, with the
// operations the tests exercised (those whose answers were validated).
func TestMain(m *testing.M) {
	// Every page served from the render cache is checked against a plain
	// rendering (the harness reports differences).
	mastodon.VerifyRendering(true)
	testkit.Main(m, func() {
		path := os.Getenv("PUKEKO_API_COVERAGE")
		if path == "" || loadedSpec == nil || coverageServed == nil {
			return
		}
		report := loadedSpec.Coverage(coverageServed)
		if err := os.WriteFile(path, []byte(report.String()), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	})
}
