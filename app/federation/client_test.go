package federation

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// noDNS makes any host name lookup fail, so that a test that forgot a
// Resolve entry errors instead of querying a real DNS server.
var noDNS = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("tests must not use DNS")
}}

// errLeak is returned by the test safety net: a connection to a
// non-loopback address got past the guard under test.
var errLeak = errors.New("test safety net: non-loopback connection refused")

// newTestClient returns a client that never leaves loopback: no DNS, and
// with AllowPrivate, every non-loopback address is still refused before
// connecting. Behind the guard under test sits a safety net refusing any
// non-loopback address, so that a broken guard fails tests (with errLeak)
// instead of sending packets.
func newTestClient(t *testing.T, opts ClientOptions) *Client {
	t.Helper()
	c := NewClient(opts)
	c.dialer.Resolver = noDNS
	if opts.AllowPrivate {
		c.forbid = func(ip netip.Addr) bool { return !ip.Unmap().IsLoopback() }
	}
	guard := c.dialer.Control
	c.dialer.Control = func(network, address string, rc syscall.RawConn) error {
		if err := guard(network, address, rc); err != nil {
			return err
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || !ap.Addr().Unmap().IsLoopback() {
			return errLeak
		}
		return nil
	}
	t.Cleanup(c.http.CloseIdleConnections)
	return c
}

// testServer is a loopback HTTP server counting the requests it receives.
type testServer struct {
	*httptest.Server
	hits atomic.Int64
}

func newServer(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	return startServer(t, nil, h)
}

// startServer serves h on ln, or on a fresh 127.0.0.1 port when ln is nil.
func startServer(t *testing.T, ln net.Listener, h http.HandlerFunc) *testServer {
	t.Helper()
	s := &testServer{}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		h(w, r)
	}))
	if ln != nil {
		s.Listener.Close()
		s.Listener = ln
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// addr is the server's "ip:port", as a Resolve target.
func (s *testServer) addr() string { return s.Listener.Addr().String() }

// resolveAll points every host at the server.
func (s *testServer) resolveAll(hosts ...string) map[string]string {
	m := map[string]string{}
	for _, h := range hosts {
		m[h] = s.addr()
	}
	return m
}

func serveJSON(w http.ResponseWriter, ct, body string) {
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write([]byte(body))
}

func TestResolveOverrideReachesLoopback(t *testing.T) {
	t.Parallel()
	var host atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		host.Store(r.Host)
		serveJSON(w, "application/activity+json", `{"id":"http://a.test/x"}`)
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Resolve: srv.resolveAll("a.test")})

	// The URL's port is irrelevant: the override supplies the address.
	obj, final, err := c.GetActivity(t.Context(), "http://A.test:1234/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	if obj.ID() != "http://a.test/x" || final != "http://A.test:1234/x" {
		t.Errorf("got id %q from %q", obj.ID(), final)
	}
	if h, _ := host.Load().(string); h != "A.test:1234" {
		t.Errorf("Host = %q, want A.test:1234", h)
	}
}

func TestUserAgentSent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ set, want string }{
		{"pukeko/1.2.3 (+https://example.org/)", "pukeko/1.2.3 (+https://example.org/)"},
		{"", "pukeko/"},
	} {
		var ua atomic.Value
		srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
			ua.Store(r.UserAgent())
			serveJSON(w, "application/json", `{}`)
		})
		c := newTestClient(t, ClientOptions{AllowPrivate: true, UserAgent: tc.set})
		if _, _, err := c.GetActivity(t.Context(), srv.URL, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := ua.Load().(string); !strings.HasPrefix(got, tc.want) || tc.set != "" && got != tc.want {
			t.Errorf("User-Agent = %q, want %q", got, tc.want)
		}
	}
}

func TestTLSVerifiesNameAndSpeaksHTTP2(t *testing.T) {
	t.Parallel()
	var proto atomic.Value
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proto.Store(r.Proto)
		serveJSON(w, "application/activity+json", `{"id":"x"}`)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	// httptest's certificate is valid for example.com, which the override
	// sends to the loopback server.
	resolve := map[string]string{"example.com": srv.Listener.Addr().String(), "wrong.test": srv.Listener.Addr().String()}
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Resolve: resolve, RootCAs: roots})

	if _, _, err := c.GetActivity(t.Context(), "https://example.com/x", nil); err != nil {
		t.Fatal(err)
	}
	if p, _ := proto.Load().(string); p != "HTTP/2.0" {
		t.Errorf("protocol = %q, want HTTP/2.0", p)
	}
	var certErr *tls.CertificateVerificationError
	if _, _, err := c.GetActivity(t.Context(), "https://wrong.test/x", nil); !errors.As(err, &certErr) {
		t.Errorf("certificate for another name: err = %v, want a verification error", err)
	}
}

func TestSchemeOption(t *testing.T) {
	t.Parallel()
	for scheme, want := range map[string]string{"": "https", "https": "https", "http": "http", "HTTP": "http", "gopher": "https"} {
		if got := NewClient(ClientOptions{Scheme: scheme}).scheme; got != want {
			t.Errorf("Scheme %q: lookups use %q, want %q", scheme, got, want)
		}
	}
}
