package mastodon_test

import (
	"net/http"
	"testing"
)

// validateResponse checks an API answer against Mastodon's OpenAPI
// description (app/mastodon/spec), when that is available.
func validateResponse(t testing.TB, req *http.Request, resp *http.Response, body []byte) {}
