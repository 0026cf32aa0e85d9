package certs

import (
	"context"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// startFilesNode runs a Manager in mode files behind an HTTPS listener on
// 127.0.0.1 and returns the listener's address.
func startFilesNode(t *testing.T, opts Options) string {
	t.Helper()
	opts.Mode = "files"
	opts.Logger = testLogger(t)
	m, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	ln := listen(t, "127.0.0.1")
	serveHTTPS(t, ln, m.TLSConfig(), http.NotFoundHandler())
	return ln.Addr().String()
}

func writePair(t *testing.T, dir, name string, certPEM, keyPEM []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name+".crt"), certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".key"), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
}

// servesSerial checks that a handshake for name gets the certificate with
// the given serial.
func servesSerial(addr, name string, roots *x509.CertPool, serial int64) error {
	cert, err := handshake(addr, name, roots)
	if err != nil {
		return err
	}
	if cert.SerialNumber.Int64() != serial {
		return fmt.Errorf("serial %d, want %d", cert.SerialNumber.Int64(), serial)
	}
	return nil
}

func TestFilesReload(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert1, key1, roots := selfSigned(t, "f.test", 1)
	writePair(t, dir, "f.test", cert1, key1)
	addr := startFilesNode(t, Options{CertsDir: dir, filesReload: 20 * time.Millisecond})

	if err := servesSerial(addr, "f.test", roots, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := handshake(addr, "other.test", roots); err == nil {
		t.Error("handshake for a name without a file and no fallback pair succeeded")
	}

	cert2, key2, roots2 := selfSigned(t, "f.test", 2)
	writePair(t, dir, "f.test", cert2, key2)
	eventually(t, 5*time.Second, func() error { return servesSerial(addr, "f.test", roots2, 2) })

	// A corrupt replacement: the previous certificate stays.
	if err := os.WriteFile(filepath.Join(dir, "f.test.crt"), []byte("-----BEGIN CERTIFICATE-----\ngarbage\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // ten reload intervals
	if err := servesSerial(addr, "f.test", roots2, 2); err != nil {
		t.Errorf("after a corrupt replacement: %v", err)
	}
}

// The single pair serves every name without a pair of its own.
func TestFilesFallbackPair(t *testing.T) {
	t.Parallel()
	dir, pairDir := t.TempDir(), t.TempDir()
	mainCert, mainKey, roots := selfSigned(t, "main.test", 10)
	writePair(t, pairDir, "main", mainCert, mainKey)
	fCert, fKey, fRoots := selfSigned(t, "f.test", 11)
	writePair(t, dir, "f.test", fCert, fKey)
	addr := startFilesNode(t, Options{
		CertFile: filepath.Join(pairDir, "main.crt"), KeyFile: filepath.Join(pairDir, "main.key"),
		CertsDir: dir,
	})
	if err := servesSerial(addr, "f.test", fRoots, 11); err != nil {
		t.Errorf("f.test: %v", err)
	}
	if err := servesSerial(addr, "main.test", roots, 10); err != nil {
		t.Errorf("main.test: %v", err)
	}
	// Another name gets the pair, which does not name it: the handshake
	// fails verification, but it is the pair that was served.
	cert, err := handshakeInsecure(addr, "other.test")
	if err != nil || cert.SerialNumber.Int64() != 10 {
		t.Errorf("other.test: %v, %v; want the pair's certificate", cert, err)
	}
}

func TestFilesBadPairAtStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.crt"), []byte("not PEM"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := New(context.Background(), Options{
		Mode: "files", CertFile: filepath.Join(dir, "x.crt"), KeyFile: filepath.Join(dir, "x.key"),
		Logger: testLogger(t),
	})
	if err == nil {
		t.Error("New succeeded with an unreadable cert_file")
	}
}
