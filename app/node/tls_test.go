package node_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"pukeko/app/node"
	"pukeko/app/testkit"
)

// freePortOn finds a port free on every one of ips.
func freePortOn(t *testing.T, ips ...string) int {
	t.Helper()
	for range 50 {
		ln, err := net.Listen("tcp", ips[0]+":0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ok := true
		var others []net.Listener
		for _, ip := range ips[1:] {
			l, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
			if err != nil {
				ok = false
				break
			}
			others = append(others, l)
		}
		ln.Close()
		for _, l := range others {
			l.Close()
		}
		if ok {
			return port
		}
	}
	t.Fatal("no port free on all addresses")
	return 0
}

// startTLSFederation starts one node per domain over HTTPS with automatic
// certificates from an in-process Pebble: each domain on its own loopback
// address (a.test on 127.0.0.2, ...), all on the same two ports, as real
// servers on their own hosts would be on :80 and :443.
func startTLSFederation(t *testing.T, domains ...string) ([]*fedNode, *testkit.Pebble, map[string]string) {
	t.Helper()
	ips := map[string]string{}
	var all []string
	for k, d := range domains {
		ips[d] = fmt.Sprintf("127.0.0.%d", k+2)
		all = append(all, ips[d])
	}
	httpPort, tlsPort := freePortOn(t, all...), 0
	for tlsPort == 0 || tlsPort == httpPort {
		tlsPort = freePortOn(t, all...)
	}
	pebble := testkit.StartPebble(t, ips, httpPort, tlsPort)
	var resolve []string
	for _, d := range domains {
		resolve = append(resolve, d+"="+net.JoinHostPort(ips[d], strconv.Itoa(tlsPort)))
	}
	addrs := map[string]string{}
	var nodes []*fedNode
	for _, d := range domains {
		env := []string{
			"PUKEKO_MAIN_DOMAIN=" + d,
			"PUKEKO_DATA_DIR=" + t.TempDir(),
			"PUKEKO_DATABASE_URL=" + testkit.DatabaseURL(t),
			"PUKEKO_SERVER_TLS_MODE=auto",
			"PUKEKO_SERVER_TLS_CA=" + pebble.DirectoryURL,
			"PUKEKO_SERVER_TLS_CA_ROOT=" + pebble.CARootFile,
			"PUKEKO_SERVER_TLS_HTTP_LISTEN=" + net.JoinHostPort(ips[d], strconv.Itoa(httpPort)),
			"PUKEKO_SERVER_TLS_HTTPS_LISTEN=" + net.JoinHostPort(ips[d], strconv.Itoa(tlsPort)),
			"PUKEKO_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true",
			"PUKEKO_FEDERATION_RESOLVE=" + strings.Join(resolve, ","),
			"PUKEKO_STATOR_POLL_INTERVAL=200ms",
			"PUKEKO_SERVER_SHUTDOWN_TIMEOUT=2s",
		}
		httpsLn, err := net.Listen("tcp", net.JoinHostPort(ips[d], strconv.Itoa(tlsPort)))
		if err != nil {
			t.Fatal(err)
		}
		httpLn, err := net.Listen("tcp", net.JoinHostPort(ips[d], strconv.Itoa(httpPort)))
		if err != nil {
			t.Fatal(err)
		}
		n := bootNode(t, d, env, node.Options{Stator: true, RootCAs: pebble.IssuerRoots}, node.Listeners{HTTPS: httpsLn, HTTP: httpLn})
		addrs[d] = n.addr
		nodes = append(nodes, n)
	}
	return nodes, pebble, addrs
}

// Two instances over HTTPS with certificates issued on demand by Pebble:
// follows work across, a certificate is served for each configured domain,
// and none is obtained for an unknown name.
func TestFederationOverHTTPS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	nodes, pebble, addrs := startTLSFederation(t, "a.test", "b.test")
	a, b := nodes[0], nodes[1]
	alice := a.identity(t, "alice", false)
	bob := b.identity(t, "bob", true)

	bobOnA := a.resolve(t, "bob@b.test")
	if _, err := a.Instance.Follow(ctx, alice, bobOnA); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, b, alice, bob, "pending_approval")
	if err := b.Instance.ApproveFollow(ctx, bob, b.resolve(t, "alice@a.test")); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, alice, bob, "accepted")

	// An unlocked account: followed, then unfollowed.
	carol := b.identity(t, "carol", false)
	carolOnA := a.resolve(t, "carol@b.test")
	if _, err := a.Instance.Follow(ctx, alice, carolOnA); err != nil {
		t.Fatal(err)
	}
	waitFollow(t, a, alice, carol, "accepted")
	waitFollow(t, b, alice, carol, "accepted")
	if err := a.Instance.Unfollow(ctx, alice, carolOnA); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "b to drop alice's follow of carol", func() bool {
		s := b.followState(t, alice.URI, carol.URI)
		return s == "removed" || s == ""
	})

	// bob blocks alice, who follows him: the follow ends on both sides.
	if _, err := b.Instance.Block(ctx, bob, b.resolve(t, "alice@a.test")); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "a to drop alice's follow of bob", func() bool {
		s := a.followState(t, alice.URI, bob.URI)
		return s == "removed" || s == ""
	})
	waitUntil(t, "a to record bob's block", func() bool {
		var n int
		a.DB.QueryRow(ctx, `SELECT count(*) FROM blocks k JOIN identities s ON s.id = k.source_id
			WHERE s.uri = $1 AND k.state = 'received'`, bob.URI).Scan(&n)
		return n == 1
	})
	// Every delivery went through, over HTTPS, on both sides.
	for _, n := range nodes {
		waitUntil(t, n.domain+": all deliveries sent", func() bool {
			var pending, sent int
			n.DB.QueryRow(ctx, `SELECT count(*) FILTER (WHERE state <> 'sent'), count(*) FILTER (WHERE state = 'sent') FROM deliveries`).Scan(&pending, &sent)
			return pending == 0 && sent > 0
		})
	}

	// Each domain's certificate, issued by Pebble, verifies for its name.
	for d, addr := range addrs {
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addr,
			&tls.Config{ServerName: d, RootCAs: pebble.IssuerRoots, NextProtos: []string{"h2", "http/1.1"}})
		if err != nil {
			t.Fatalf("TLS to %s: %v", d, err)
		}
		if st := conn.ConnectionState(); st.NegotiatedProtocol != "h2" {
			t.Errorf("%s: ALPN %q, want h2", d, st.NegotiatedProtocol)
		}
		conn.Close()
	}
	// An unknown name gets no certificate.
	_, err := tls.DialWithDialer(&net.Dialer{Timeout: 10 * time.Second}, "tcp", addrs["a.test"],
		&tls.Config{ServerName: "unknown.test", RootCAs: pebble.IssuerRoots})
	if err == nil {
		t.Fatal("a certificate was served for a name that is not configured")
	}
	entries, _ := os.ReadDir(a.Config.DataDir + "/certmagic/certificates")
	for _, e := range entries {
		sub, _ := os.ReadDir(a.Config.DataDir + "/certmagic/certificates/" + e.Name())
		for _, s := range sub {
			if strings.Contains(s.Name(), "unknown") {
				t.Errorf("a certificate for an unknown name is in storage: %s", s.Name())
			}
		}
	}

	// Plain HTTP is redirected to HTTPS.
	req, _ := http.NewRequest("GET", "http://"+a.Config.Server.TLS.HTTPListen+"/@alice?x=1", nil)
	req.Host = "a.test"
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://a.test/@alice?x=1" {
		t.Errorf("plain HTTP answered %d to %q, want a 301 to https://a.test/@alice?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
}
