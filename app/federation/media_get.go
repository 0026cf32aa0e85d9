package federation

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// Media is an open remote media file: its body is read at most MaxSize
// bytes (a longer one ends in an error wrapping ErrResponseTooLarge), and
// the caller closes it.
type Media struct {
	Body          io.ReadCloser
	ContentType   string
	ContentLength int64 // -1 when unknown
}

// limitedBody fails a read past limit bytes instead of truncating: a cut
// file cached as if whole would be served for a year.
type limitedBody struct {
	io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		var one [1]byte
		if n, _ := b.ReadCloser.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("federation: media body too long: %w", ErrResponseTooLarge)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// GetMedia opens a remote media file (an attachment, avatar, header or
// emoji) unsigned, following redirects, through the same address checks
// as every fetch. The request's time is bounded by ctx alone, not by the
// client's request timeout: a large video may take longer than an
// activity. A declared length over maxSize fails before the body is read.
func (c *Client) GetMedia(ctx context.Context, raw string, maxSize int64) (*Media, error) {
	req, err := newRequest(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	if err := checkURL(req.URL); err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "image/*, video/*, audio/*;q=0.9, */*;q=0.1")
	hc := *c.http
	hc.Timeout = 0
	hc.CheckRedirect = redirectPolicy(nil, true)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, statusBodyLimit))
		return nil, &StatusError{URL: resp.Request.URL.String(), Code: resp.StatusCode, Body: string(snippet)}
	}
	if resp.ContentLength > maxSize {
		resp.Body.Close()
		return nil, fmt.Errorf("federation: %s: media of %d bytes exceeds %d: %w",
			resp.Request.URL.Redacted(), resp.ContentLength, maxSize, ErrResponseTooLarge)
	}
	return &Media{
		Body:          &limitedBody{ReadCloser: resp.Body, left: maxSize},
		ContentType:   resp.Header.Get("Content-Type"),
		ContentLength: resp.ContentLength,
	}, nil
}
