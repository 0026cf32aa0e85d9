package certs

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"pukeko/app/testkit"
)

// autoNode is one server in mode auto: a Manager and its two listeners on
// a loopback address, serving a handler that names the protocol.
type autoNode struct {
	m                   *Manager
	httpAddr, httpsAddr string
}

func startAutoNode(t *testing.T, host string, opts Options) *autoNode {
	t.Helper()
	httpLn, httpsLn := listen(t, host), listen(t, host)
	return startAutoNodeOn(t, httpLn, httpsLn, opts)
}

// startAutoNodeOn binds the Manager to listeners already open, as the
// server does, so that certmagic's solvers find the addresses taken.
func startAutoNodeOn(t *testing.T, httpLn, httpsLn net.Listener, opts Options) *autoNode {
	t.Helper()
	opts.Mode = "auto"
	opts.HTTPListen = httpLn.Addr().String()
	opts.HTTPSListen = httpsLn.Addr().String()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	m, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "app %s %s", r.Proto, r.Host)
	})
	serveHTTPS(t, httpsLn, m.TLSConfig(), app)
	serveHTTP(t, httpLn, m.HTTPHandler(nil))
	return &autoNode{m: m, httpAddr: httpLn.Addr().String(), httpsAddr: httpsLn.Addr().String()}
}

func allowOnly(names ...string) func(context.Context, string) (bool, error) {
	return func(_ context.Context, name string) (bool, error) {
		return slices.Contains(names, name), nil
	}
}

// httpsGet fetches https://name/path from addr, trusting roots, over HTTP/2
// when the server offers it.
func httpsGet(t *testing.T, addr, name, path string, roots *x509.CertPool) (*http.Response, string) {
	t.Helper()
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2: true,
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			},
		},
	}
	defer client.CloseIdleConnections()
	resp, err := client.Get("https://" + name + path)
	if err != nil {
		t.Fatalf("GET https://%s%s: %v", name, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestAutoFileStorage(t *testing.T) {
	t.Parallel()
	// One subtest per challenge type, each with its own name: certmagic
	// coordinates concurrent issuance per name process-wide, so parallel
	// Managers must not share names.
	for _, tc := range []struct {
		challenge string
		name      string
		opts      Options
	}{
		{"http-01", "a.test", Options{disableTLSALPN: true}},
		{"tls-alpn-01", "alpn.test", Options{disableHTTP01: true}},
	} {
		t.Run(tc.challenge, func(t *testing.T) {
			t.Parallel()
			httpLn, httpsLn := listen(t, "127.0.0.2"), listen(t, "127.0.0.2")
			pebble := testkit.StartPebble(t, map[string]string{tc.name: "127.0.0.2", "unknown.test": "127.0.0.2"}, port(httpLn), port(httpsLn))
			dataDir := t.TempDir()
			opts := tc.opts
			opts.Email, opts.CA, opts.CARoot = "admin@example.com", pebble.DirectoryURL, pebble.CARootFile
			opts.Storage, opts.DataDir = "file", dataDir
			opts.Allowed = allowOnly(tc.name)
			node := startAutoNodeOn(t, httpLn, httpsLn, opts)

			resp, body := httpsGet(t, node.httpsAddr, tc.name, "/hello", pebble.IssuerRoots)
			if want := "app HTTP/2.0 " + tc.name; body != want {
				t.Errorf("body = %q, want %q", body, want)
			}
			leaf := resp.TLS.PeerCertificates[0]
			if !slices.Contains(leaf.DNSNames, tc.name) {
				t.Errorf("certificate names %v, want %s", leaf.DNSNames, tc.name)
			}
			if n := pebble.Orders(); n != 1 {
				t.Errorf("Pebble received %d orders, want 1", n)
			}

			if _, err := handshake(node.httpsAddr, "unknown.test", pebble.IssuerRoots); err == nil {
				t.Error("handshake for unknown.test succeeded")
			}
			if n := pebble.Orders(); n != 1 {
				t.Errorf("Pebble received %d orders after unknown.test, want 1", n)
			}
			if files := storedFor(t, dataDir, "unknown.test"); len(files) > 0 {
				t.Errorf("storage holds %v for unknown.test", files)
			}
			if files := storedFor(t, dataDir, tc.name); len(files) == 0 {
				t.Errorf("storage holds nothing for %s", tc.name)
			}
		})
	}
}

// storedFor lists the files under dataDir/certmagic whose path mentions name.
func storedFor(t *testing.T, dataDir, name string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(filepath.Join(dataDir, "certmagic"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(path, name) {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestAutoRedirect(t *testing.T) {
	t.Parallel()
	// No issuance here, so no CA is contacted: the CA URL is never used.
	node := startAutoNode(t, "127.0.0.1", Options{
		CA:      "https://127.0.0.1:1/dir",
		Storage: "file", DataDir: t.TempDir(),
		Allowed: allowOnly(),
	})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequest(http.MethodGet, "http://"+node.httpAddr+"/some/path?x=1&y=a%20b", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "a.test:8080"
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently {
		t.Errorf("status %d, want 301", resp.StatusCode)
	}
	if got, want := resp.Header.Get("Location"), "https://a.test/some/path?x=1&y=a%20b"; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}
}
