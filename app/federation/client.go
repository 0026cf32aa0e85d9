// Package federation is Pukeko's outgoing HTTP transport for talking to
// other servers: signed ActivityPub fetches and deliveries, WebFinger and
// NodeInfo discovery.
//
// Every URL it is handed comes from a remote server, so the transport is
// hardened against server-side request forgery: only http and https URLs
// without credentials are fetched, and each connection's actual IP address
// is checked just before the socket connects (see ErrForbiddenAddress), so
// neither redirects nor DNS rebinding can steer a request into the
// operator's private network. Response bodies are bounded and every request
// has a deadline.
package federation

import (
	"crypto/x509"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"pukeko/app/buildinfo"
)

// Defaults for the zero values of ClientOptions.
const (
	DefaultTimeout         = 10 * time.Second // ClientOptions.Timeout
	DefaultMaxResponseSize = 4 << 20          // ClientOptions.MaxResponseSize: 4 MiB
)

// ClientOptions configures a Client. The zero value is a safe client for
// the public fediverse.
type ClientOptions struct {
	// AllowPrivate permits loopback, private and link-local targets (tests,
	// private networks).
	AllowPrivate bool
	// Resolve maps a host name to an "ip:port" dialed instead of resolving
	// the name through DNS; ParseResolve builds it from configuration. The
	// address guard still applies to the override's IP.
	Resolve map[string]string
	// Timeout bounds a whole request, body included; DefaultTimeout when
	// zero.
	Timeout time.Duration
	// MaxResponseSize is the largest response body accepted;
	// DefaultMaxResponseSize when zero. A larger body is an error
	// (ErrResponseTooLarge), never silently truncated.
	MaxResponseSize int64
	// UserAgent is sent with every request, conventionally
	// "pukeko/VERSION (+https://main_domain/)"; "pukeko/VERSION" when empty.
	UserAgent string
	// RootCAs verifies servers' certificates; nil means the system roots.
	RootCAs *x509.CertPool
	// Scheme is used for lookups by host name (WebFinger, host-meta,
	// NodeInfo): "https" (the default) or "http", for test networks.
	Scheme string
}

// Client sends requests to other servers. It is safe for concurrent use and
// should be shared, so that connections are reused.
type Client struct {
	http      *http.Client
	dialer    *net.Dialer
	resolve   map[string]string
	scheme    string
	userAgent string
	maxSize   int64
	// forbid decides which IP addresses may not be dialed. It is a field
	// so that tests, which can only run servers on loopback, can mark some
	// loopback addresses forbidden and others allowed.
	forbid func(netip.Addr) bool
}

// NewClient returns a Client configured by opts.
func NewClient(opts ClientOptions) *Client {
	c := &Client{
		resolve:   map[string]string{},
		scheme:    "https",
		userAgent: opts.UserAgent,
		maxSize:   opts.MaxResponseSize,
		forbid:    forbiddenAddr,
	}
	for host, target := range opts.Resolve {
		c.resolve[normalizeHost(host)] = target
	}
	if strings.EqualFold(opts.Scheme, "http") {
		c.scheme = "http"
	}
	if c.userAgent == "" {
		c.userAgent = "pukeko/" + buildinfo.Version
	}
	if c.maxSize <= 0 {
		c.maxSize = DefaultMaxResponseSize
	}
	if opts.AllowPrivate {
		c.forbid = func(netip.Addr) bool { return false }
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	c.dialer = &net.Dialer{Timeout: timeout, Control: c.control}
	c.http = &http.Client{Transport: c.newTransport(timeout, opts.RootCAs), Timeout: timeout}
	return c
}

// normalizeHost lower-cases a host name and drops a trailing root dot, so
// that "A.test." and "a.test" find the same Resolve entry.
func normalizeHost(host string) string {
	return strings.TrimSuffix(strings.ToLower(host), ".")
}
