package federation

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"

	"pukeko/app/ap"
)

// activityAccept asks for ActivityPub rather than the HTML profile page
// most servers serve by default.
const activityAccept = ap.ContentType + ", " + ap.LDContentType

// GetActivity fetches an ActivityPub document, signed by signer when not
// nil (servers in authorized-fetch mode refuse unsigned fetches). It
// follows at most 3 redirects, each re-checked and re-signed, and returns
// the decoded object and the URL it was finally read from. A non-JSON
// content type or a body that is not a JSON object is an error.
//
// The caller must still check that the document belongs where it claims
// to (its id against the final URL's host).
func (c *Client) GetActivity(ctx context.Context, uri string, signer *Signer) (ap.Object, string, error) {
	req, err := newRequest(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return nil, "", err
	}
	req.Header.Set("Accept", activityAccept)
	resp, body, err := c.do(req, nil, signer, true)
	if err != nil {
		return nil, "", err
	}
	final := resp.Request.URL.String()
	if ct := resp.Header.Get("Content-Type"); !isJSONType(ct) {
		return nil, "", fmt.Errorf("federation: %s: content type %q is not JSON", final, ct)
	}
	obj, err := ap.Decode(body)
	if err == nil && obj == nil {
		err = errors.New("null")
	}
	if err != nil {
		return nil, "", fmt.Errorf("federation: %s: not a JSON object: %w", final, err)
	}
	return obj, final, nil
}

// isJSONType reports whether a Content-Type is JSON: application/json or
// any application/*+json (activity+json, ld+json with any profile, ...).
func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")
}
