package federation

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"testing"
	"time"
)

func TestForbiddenAddr(t *testing.T) {
	t.Parallel()
	forbidden := []string{
		"127.0.0.1", "127.255.0.9", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"fc00::1", "fdff::1", "169.254.169.254", "fe80::1", "fe80::1%eth0", "0.0.0.0", "0.1.2.3", "::",
		"224.0.0.1", "239.255.255.250", "ff02::1", "ff05::2", "100.64.0.1", "100.127.255.255",
		"255.255.255.255", "fec0::1",
		"::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1",
		"64:ff9b::a00:1", "64:ff9b::7f00:1",
	}
	allowed := []string{
		"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.63.255.255", "100.128.0.1",
		"192.169.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8", "64:ff9b::808:808",
	}
	for _, s := range forbidden {
		if !forbiddenAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s allowed, want forbidden", s)
		}
	}
	for _, s := range allowed {
		if forbiddenAddr(netip.MustParseAddr(s)) {
			t.Errorf("%s forbidden, want allowed", s)
		}
	}
	if !forbiddenAddr(netip.Addr{}) {
		t.Error("the zero Addr is allowed")
	}
}

func TestAllowPrivateAllowsEverything(t *testing.T) {
	t.Parallel()
	c := NewClient(ClientOptions{AllowPrivate: true})
	for _, s := range []string{"127.0.0.1", "10.0.0.1", "::1", "8.8.8.8"} {
		if c.forbid(netip.MustParseAddr(s)) {
			t.Errorf("%s forbidden despite AllowPrivate", s)
		}
	}
	if !NewClient(ClientOptions{}).forbid(netip.MustParseAddr("10.0.0.1")) {
		t.Error("10.0.0.1 allowed without AllowPrivate")
	}
}

// TestGuardRefusesBeforeConnect targets forbidden addresses with the
// production rules. The guard runs in net.Dialer.Control, before connect,
// so no packet reaches 10.0.0.1 or 169.254.169.254: the immediate
// ErrForbiddenAddress (rather than a connect timeout) shows it.
func TestGuardRefusesBeforeConnect(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, "application/json", `{}`)
	})
	_, port, _ := net.SplitHostPort(srv.addr())
	targets := map[string]string{
		"loopback":         "http://127.0.0.1:" + port + "/",
		"private":          "http://10.0.0.1/",
		"private 192.168":  "http://192.168.1.1:8080/",
		"metadata":         "http://169.254.169.254/latest/meta-data/",
		"mapped":           "http://[::ffff:127.0.0.1]:" + port + "/",
		"resolve override": "http://a.test/",
	}
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ln.Close() // IPv6 sockets work here, so the refusal is the guard's
		targets["loopback v6"] = "http://[::1]:" + port + "/"
	}
	c := newTestClient(t, ClientOptions{Resolve: srv.resolveAll("a.test"), Timeout: 5 * time.Second})
	for name, target := range targets {
		start := time.Now()
		_, _, err := c.GetActivity(t.Context(), target, nil)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("%s (%s): err = %v, want ErrForbiddenAddress", name, target, err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: refusal took %v; the guard should act before connecting", name, d)
		}
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("server received %d requests, want 0", n)
	}
}

func TestRedirectToForbiddenAddressRefused(t *testing.T) {
	t.Parallel()
	// The forbidden side of the redirect listens on 127.0.0.2, so that
	// whether it was reached can be observed without leaving loopback.
	victim := newServerOn(t, "127.0.0.2:0")
	if victim == nil {
		t.Skip("cannot listen on 127.0.0.2")
	}
	var location string
	origin := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, location, http.StatusFound)
	})
	c := newTestClient(t, ClientOptions{AllowPrivate: true, Resolve: victim.resolveAll("rebind.test")})
	// Production rules, except for the origin's own address.
	c.forbid = func(ip netip.Addr) bool { return ip != netip.MustParseAddr("127.0.0.1") && forbiddenAddr(ip) }

	for _, loc := range []string{
		"http://" + victim.addr() + "/",
		"http://rebind.test/",
		"http://10.0.0.1/",
		"http://169.254.169.254/latest/meta-data/",
	} {
		location = loc // requests are sequential
		_, _, err := c.GetActivity(t.Context(), origin.URL, nil)
		if !errors.Is(err, ErrForbiddenAddress) {
			t.Errorf("redirect to %s: err = %v, want ErrForbiddenAddress", loc, err)
		}
	}
	if n := victim.hits.Load(); n != 0 {
		t.Errorf("forbidden server received %d requests, want 0", n)
	}
	if n := origin.hits.Load(); n != 4 {
		t.Errorf("origin received %d requests, want 4", n)
	}
}

// newServerOn starts a JSON server on a specific loopback address, or
// returns nil when the address cannot be bound.
func newServerOn(t *testing.T, addr string) *testServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil
	}
	return startServer(t, ln, func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, "application/json", `{}`)
	})
}
