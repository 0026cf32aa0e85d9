package federation

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"time"
)

// maxHeaderBytes bounds response headers, which MaxResponseSize does not
// cover.
const maxHeaderBytes = 64 << 10

// newTransport builds the standard transport around the guarded dialer.
func (c *Client) newTransport(timeout time.Duration, roots *x509.CertPool) *http.Transport {
	return &http.Transport{
		// No proxy: a proxy would make the connection to the target
		// itself, out of reach of the address guard, and proxy
		// environment variables must not redirect federation traffic.
		Proxy:       nil,
		DialContext: c.dial,
		// A custom dialer disables HTTP/2 unless asked for explicitly.
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    min(timeout, 10*time.Second),
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: maxHeaderBytes,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
	}
}

// dial connects to addr, or to its Resolve override. The override only
// replaces name resolution: the dialer's Control hook still checks the IP,
// and TLS still verifies the certificate against the original host name.
func (c *Client) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if target, ok := c.resolve[normalizeHost(host)]; ok {
		addr = target
	}
	return c.dialer.DialContext(ctx, network, addr)
}
