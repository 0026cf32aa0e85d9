package federation

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"syscall"
)

// ErrUnsupportedURL is wrapped by the error for a URL the client will not
// fetch: not absolute http or https, or carrying user credentials.
// Retrying cannot help.
var ErrUnsupportedURL = errors.New("federation: unsupported URL")

// control runs as net.Dialer.Control after the socket is created and
// before it connects, with the IP actually being dialed. Checking here
// rather than after our own DNS lookup means a name that resolves to a
// public address once and a private one the next time (DNS rebinding), or
// a redirect to a private host, is still refused, and nothing is sent.
func (c *Client) control(network, address string, _ syscall.RawConn) error {
	if network != "tcp4" && network != "tcp6" {
		return fmt.Errorf("federation: refusing %s connection to %s: %w", network, address, ErrForbiddenAddress)
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return fmt.Errorf("federation: refusing connection to %q: %w", address, ErrForbiddenAddress)
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || c.forbid(ip) {
		return fmt.Errorf("federation: refusing connection to %s: %w", address, ErrForbiddenAddress)
	}
	return nil
}

// checkURL refuses URLs the client must not fetch. Credentials are refused
// because a remote server could otherwise make us send them (as Basic
// authentication) wherever it likes.
func checkURL(u *url.URL) error {
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("federation: %q: only http and https URLs are fetched: %w", u.Redacted(), ErrUnsupportedURL)
	case u.User != nil:
		return fmt.Errorf("federation: %q: URLs with user information are refused: %w", u.Redacted(), ErrUnsupportedURL)
	case u.Host == "" || u.Hostname() == "" || u.Opaque != "":
		return fmt.Errorf("federation: %q: not an absolute URL: %w", u.Redacted(), ErrUnsupportedURL)
	}
	return nil
}

// parseURL parses raw and applies checkURL.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("federation: %w: %w", ErrUnsupportedURL, err)
	}
	if err := checkURL(u); err != nil {
		return nil, err
	}
	return u, nil
}
