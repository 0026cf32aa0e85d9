package federation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// ErrUnexpectedType is wrapped by the error for a document whose content
// type is not one the caller takes (a link preview of an image or a
// PDF). Retrying cannot help.
var ErrUnexpectedType = errors.New("federation: unexpected content type")

// Page is a web document fetched for a link preview.
type Page struct {
	URL         string // where it was found, after redirects
	ContentType string // the Content-Type header as sent
	MediaType   string // its media type, lower-case, without parameters
	Body        []byte
}

// GetPage fetches a web document (a page a post links to, its oEmbed
// description) unsigned, following redirects, through the same address
// checks as every fetch. accept is sent as Accept; a media type not in
// types fails with ErrUnexpectedType before the body is read, and a body
// over maxSize with ErrResponseTooLarge. The client's request timeout
// bounds the whole request.
func (c *Client) GetPage(ctx context.Context, raw, accept string, types []string, maxSize int64) (*Page, error) {
	req, err := newRequest(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", accept)
	hc := *c.http
	hc.CheckRedirect = redirectPolicy(nil, true)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	where := resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, statusBodyLimit))
		return nil, &StatusError{URL: where.String(), Code: resp.StatusCode, Body: string(snippet)}
	}
	ctype := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ctype)
	if mt == "" {
		mt, _, _ = strings.Cut(strings.ToLower(ctype), ";")
		mt = strings.TrimSpace(mt)
	}
	if !slices.Contains(types, mt) {
		return nil, fmt.Errorf("federation: %s: %q: %w", where.Redacted(), mt, ErrUnexpectedType)
	}
	body, err := readLimited(resp.Body, resp.ContentLength, maxSize)
	if err != nil {
		return nil, fmt.Errorf("federation: %s: %w", where.Redacted(), err)
	}
	return &Page{URL: where.String(), ContentType: ctype, MediaType: mt, Body: body}, nil
}
