package federation

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"pukeko/app/ap"
)

// PostActivity delivers a JSON body to an inbox, signed by signer over
// (request-target), host, date and digest, with Content-Type
// application/activity+json. Any 2xx answer is success; any other is a
// *StatusError (see Permanent), including redirects, which are not
// followed: a redirected POST would either turn into a GET or need a new
// signature for a target the inbox owner never announced. Network errors
// and timeouts are returned as they are; they are worth retrying.
func (c *Client) PostActivity(ctx context.Context, inbox string, body []byte, signer *Signer) error {
	if signer == nil {
		return errors.New("federation: PostActivity needs a signer")
	}
	if body == nil {
		body = []byte{} // a nil body would be signed without a digest
	}
	req, err := newRequest(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", ap.ContentType)
	req.Header.Set("Accept", activityAccept)
	_, _, err = c.do(req, body, signer, false)
	return err
}
