package federation

import (
	"context"
	"io"
	"net/http"
)

// newRequest builds a request for a checked URL.
func newRequest(ctx context.Context, method, raw string, body io.Reader) (*http.Request, error) {
	u, err := parseURL(raw)
	if err != nil {
		return nil, err
	}
	return http.NewRequestWithContext(ctx, method, u.String(), body)
}
