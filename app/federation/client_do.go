package federation

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// maxRedirects is how many redirects a fetch follows.
const maxRedirects = 3

// errTooManyRedirects stops a redirect chain longer than maxRedirects.
var errTooManyRedirects = errors.New("federation: too many redirects")

// do sends req, signed by signer when not nil, following redirects when
// follow is set, and returns the response with its body fully read (the
// response's Body is closed). A non-2xx answer is a *StatusError.
func (c *Client) do(req *http.Request, body []byte, signer *Signer, follow bool) (*http.Response, []byte, error) {
	if err := checkURL(req.URL); err != nil {
		return nil, nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	if signer != nil {
		if err := signer.sign(req, body); err != nil {
			return nil, nil, err
		}
	}
	// A copy of the shared client carries this request's redirect policy,
	// which needs the signer; the transport and its connections stay
	// shared.
	hc := *c.http
	hc.CheckRedirect = redirectPolicy(signer, follow)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, statusBodyLimit))
		return nil, nil, &StatusError{URL: resp.Request.URL.String(), Code: resp.StatusCode, Body: string(snippet)}
	}
	data, err := readLimited(resp.Body, resp.ContentLength, c.maxSize)
	if err != nil {
		return nil, nil, fmt.Errorf("federation: %s: %w", resp.Request.URL.Redacted(), err)
	}
	return resp, data, nil
}

// redirectPolicy allows maxRedirects redirects to acceptable URLs (the
// dialer checks their addresses) and re-signs each redirected request: the
// original signature covers the original path and host and would not
// verify at the new target. Without follow, the 3xx answer itself is
// returned.
func redirectPolicy(signer *Signer, follow bool) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		if len(via) > maxRedirects {
			return fmt.Errorf("federation: stopped after %d redirects: %w", maxRedirects, errTooManyRedirects)
		}
		if err := checkURL(req.URL); err != nil {
			return err
		}
		if signer == nil {
			return nil
		}
		req.Header.Del("Signature")
		req.Header.Del("Date")
		return signer.sign(req, nil)
	}
}
