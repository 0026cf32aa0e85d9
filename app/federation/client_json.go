package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// getJSON fetches raw unsigned, following redirects, and decodes the body
// into v, returning the body too. The content type is not checked:
// discovery documents are served as application/json, jrd+json or even
// text/plain in the wild, and the decoding decides.
func (c *Client) getJSON(ctx context.Context, raw, accept string, v any) ([]byte, error) {
	body, _, err := c.get(ctx, raw, accept)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return nil, fmt.Errorf("federation: %s: %w", raw, err)
	}
	return body, nil
}

// get fetches raw unsigned, following redirects, and returns the body and
// its media type.
func (c *Client) get(ctx context.Context, raw, accept string) ([]byte, string, error) {
	req, err := newRequest(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", accept)
	resp, body, err := c.do(req, nil, nil, true)
	if err != nil {
		return nil, "", err
	}
	mt, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	return body, strings.ToLower(strings.TrimSpace(mt)), nil
}

// hostURL is the URL of path on host, with the lookup scheme.
func (c *Client) hostURL(host, path string) string {
	return c.scheme + "://" + host + path
}

// checkHost accepts a bare host name or IP literal with an optional port:
// something that, put after "scheme://", names a server and nothing else.
func checkHost(host string) error {
	if host == "" || strings.ContainsAny(host, "/?#@\\ \t\r\n%") {
		return fmt.Errorf("federation: %q is not a host name: %w", host, ErrUnsupportedURL)
	}
	return nil
}
