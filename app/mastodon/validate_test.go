package mastodon_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"pukeko/app/mastodon/spec"
)

// validateResponse checks every JSON answer of the client API against
// Mastodon's OpenAPI description (app/mastodon/spec; skipped with a
// message when ../shared is not beside the repository): a shape apps do
// not expect fails the test that produced it.
func validateResponse(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if !strings.HasPrefix(req.URL.Path, "/api/") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return
	}
	s := specFor(t)
	if s == nil {
		return
	}
	err := s.ValidateResponse(req.Method, req.URL.Path, req.URL.Query(), resp.StatusCode, resp.Header, body)
	if err != nil && !errorsIsUnknown(err) {
		t.Errorf("%s %s answered what Mastodon's API description does not allow:\n%v\nbody: %.2000s", req.Method, req.URL.Path, err, body)
	}
}

var (
	specOnce   sync.Once
	loadedSpec *spec.Spec
	specErr    error
)

// specFor loads the description once. Without ../shared the behaviour
// tests still run, unvalidated (said once per test).
func specFor(t testing.TB) *spec.Spec {
	specOnce.Do(func() { loadedSpec, specErr = spec.Load() })
	if specErr != nil {
		if errors.Is(specErr, spec.ErrSpecMissing) {
			t.Logf("responses not validated: %v", specErr)
			return nil
		}
		t.Fatalf("loading Mastodon's API description: %v", specErr)
	}
	return loadedSpec
}

// errorsIsUnknown tells answers of paths the description does not have
// (Pukeko serves a few more than Mastodon).
func errorsIsUnknown(err error) bool { return errors.Is(err, spec.ErrUnknownOperation) }
