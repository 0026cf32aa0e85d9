package testkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/letsencrypt/pebble/v2/ca"
	"github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// Pebble is an in-process ACME server (Let's Encrypt's Pebble) for tests.
type Pebble struct {
	DirectoryURL string         // https://127.0.0.1:PORT/dir
	CARootFile   string         // PEM file of the root that signed Pebble's own HTTPS certificate
	IssuerRoots  *x509.CertPool // roots of the certificates Pebble issues

	orders atomic.Int64
}

// Orders returns how many new-order requests Pebble has received, so a test
// can tell whether a certificate was issued again or reused from storage.
func (p *Pebble) Orders() int {
	return int(p.orders.Load())
}

// EnvPebbleLog, when set, sends Pebble's own log to stderr.
const EnvPebbleLog = "PUKEKO_TEST_PEBBLE_LOG"

// StartPebble runs Pebble in-process on loopback for the test's lifetime.
// Names resolve through a tiny DNS server (miekg/dns on 127.0.0.1) using
// hosts (name -> IPv4, e.g. "a.test" -> "127.0.0.2"); the VA validates
// HTTP-01 on httpPort and TLS-ALPN-01 on tlsPort of that IP.
func StartPebble(t testing.TB, hosts map[string]string, httpPort, tlsPort int) *Pebble {
	t.Helper()
	// Pebble reads these when its VA and WFE are built: validate at once
	// instead of sleeping up to 5 s, and never reject a good nonce, so
	// tests are fast and deterministic. os.Setenv rather than t.Setenv
	// because the tests using Pebble run in parallel; every Pebble of the
	// process wants the same values.
	os.Setenv("PEBBLE_VA_NOSLEEP", "1")
	os.Setenv("PEBBLE_WFE_NONCEREJECT", "0")

	var logOut io.Writer = io.Discard
	if os.Getenv(EnvPebbleLog) != "" {
		logOut = os.Stderr
	}
	logger := log.New(logOut, "pebble ", log.LstdFlags)

	resolver := startDNS(t, hosts)
	store := db.NewMemoryStore()
	// ECDSA keys: generating RSA roots and intermediates costs a noticeable
	// fraction of a second per Pebble.
	authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{
		"default": {Description: "test profile"},
	})
	validator := va.New(logger, httpPort, tlsPort, false, resolver, store)
	front := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)

	p := &Pebble{IssuerRoots: x509.NewCertPool()}
	p.IssuerRoots.AddCert(authority.GetRootCert(0).Cert)

	serverCert, rootPEM := pebbleServerCert(t)
	p.CARootFile = filepath.Join(t.TempDir(), "pebble-root.pem")
	if err := os.WriteFile(p.CARootFile, rootPEM, 0o644); err != nil {
		t.Fatalf("testkit: %v", err)
	}

	acme := front.Handler()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/order-plz") {
			p.orders.Add(1)
		}
		acme.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	srv := &http.Server{
		Handler:           handler,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{serverCert}},
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          logger,
	}
	go srv.ServeTLS(ln, "", "")
	t.Cleanup(func() { srv.Close() })
	p.DirectoryURL = "https://" + ln.Addr().String() + wfe.DirectoryPath
	return p
}

// startDNS serves A records for hosts over TCP (the transport Pebble's VA
// uses with a custom resolver) and returns its address. Other names get
// NXDOMAIN, so nothing ever leaks to a real resolver.
func startDNS(t testing.TB, hosts map[string]string) string {
	t.Helper()
	records := make(map[string]net.IP, len(hosts))
	for name, ip := range hosts {
		parsed := net.ParseIP(ip).To4()
		if parsed == nil {
			t.Fatalf("testkit: StartPebble: %q is not an IPv4 address", ip)
		}
		records[dns.Fqdn(strings.ToLower(name))] = parsed
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	srv := &dns.Server{Listener: ln, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, req *dns.Msg) {
		resp := new(dns.Msg)
		resp.SetReply(req)
		resp.Authoritative = true
		for _, q := range req.Question {
			ip, ok := records[strings.ToLower(q.Name)]
			if !ok {
				resp.Rcode = dns.RcodeNameError
				continue
			}
			// AAAA and other types get an empty NOERROR answer.
			if q.Qtype == dns.TypeA {
				resp.Answer = append(resp.Answer, &dns.A{
					Hdr: dns.RR_Header{Name: q.Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60},
					A:   ip,
				})
			}
		}
		w.WriteMsg(resp)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return ln.Addr().String()
}

// pebbleServerCert makes a throwaway root and a leaf for 127.0.0.1 signed
// by it, for Pebble's own HTTPS; it returns the leaf and the root's PEM.
func pebbleServerCert(t testing.TB) (tls.Certificate, []byte) {
	t.Helper()
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	now := time.Now()
	rootTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Pukeko test ACME server root"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	rootDER, err := x509.CreateCertificate(rand.Reader, rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	root, err := x509.ParseCertificate(rootDER)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, root, &leafKey.PublicKey, rootKey)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	rootPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: rootDER})
	return tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}, rootPEM
}
