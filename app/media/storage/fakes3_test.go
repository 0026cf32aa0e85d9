package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3Domain is the made-up S3 host name used for virtual-host style
// tests; the test transport dials every name to the loopback server.
const fakeS3Domain = "s3.pukeko.test"

// fakeS3 is a gofakes3 server (in-memory backend) on a loopback port,
// recording the requests it receives.
type fakeS3 struct {
	addr  string         // 127.0.0.1:port
	certs *x509.CertPool // set when serving https

	mu   sync.Mutex
	reqs []recordedRequest
}

type recordedRequest struct {
	Method, Host, Path string
	Header             http.Header
}

// startFakeS3 starts the server, over https if useTLS; it stops when the
// test ends.
func startFakeS3(t *testing.T, useTLS bool) *fakeS3 {
	t.Helper()
	faker := gofakes3.New(s3mem.New(),
		// Route bucket.s3.pukeko.test/key as /bucket/key; requests to any
		// other host are routed path-style.
		gofakes3.WithHostBucketBase(fakeS3Domain),
	)
	inner := faker.Server()
	f := &fakeS3{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, recordedRequest{r.Method, r.Host, r.URL.Path, r.Header.Clone()})
		f.mu.Unlock()
		// gofakes3 matches the host-bucket base against the whole Host
		// header, so drop the port first.
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			r.Host = h
		}
		if err := decodeChunkedPart(r); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		inner.ServeHTTP(w, r)
	}))
	if useTLS {
		srv.StartTLS()
		f.certs = x509.NewCertPool()
		f.certs.AddCert(srv.Certificate())
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	f.addr = srv.Listener.Addr().String()
	if host, _, _ := net.SplitHostPort(f.addr); host != "127.0.0.1" {
		t.Fatalf("fake S3 listens on %s, want loopback", f.addr)
	}
	return f
}

// decodeChunkedPart works around a gap in gofakes3: it decodes the
// aws-chunked body of a streaming-signed (STREAMING-AWS4-HMAC-SHA256-
// PAYLOAD) PutObject but stores UploadPart bodies as they come, chunk
// signatures included. minio-go sends that encoding for multipart parts
// over plain http, which real S3 servers accept, so the test server
// decodes it before gofakes3 sees the part.
func decodeChunkedPart(r *http.Request) error {
	if r.URL.Query().Get("partNumber") == "" ||
		r.Header.Get("X-Amz-Content-Sha256") != "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" {
		return nil
	}
	want, err := strconv.ParseInt(r.Header.Get("X-Amz-Decoded-Content-Length"), 10, 64)
	if err != nil {
		return fmt.Errorf("bad x-amz-decoded-content-length: %v", err)
	}
	br := bufio.NewReader(r.Body)
	var body bytes.Buffer
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("chunk header: %v", err)
		}
		sizeHex, _, _ := strings.Cut(strings.TrimSuffix(line, "\r\n"), ";")
		n, err := strconv.ParseInt(sizeHex, 16, 64)
		if err != nil {
			return fmt.Errorf("chunk size %q: %v", sizeHex, err)
		}
		if _, err := io.CopyN(&body, br, n); err != nil {
			return fmt.Errorf("chunk data: %v", err)
		}
		if crlf, err := br.ReadString('\n'); err != nil || crlf != "\r\n" {
			return fmt.Errorf("chunk end: %q, %v", crlf, err)
		}
		if n == 0 {
			break
		}
	}
	if int64(body.Len()) != want {
		return fmt.Errorf("decoded %d bytes, header says %d", body.Len(), want)
	}
	r.Body = io.NopCloser(&body)
	r.ContentLength = want
	r.Header.Set("Content-Length", strconv.FormatInt(want, 10))
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	r.Header.Del("Content-Encoding")
	return nil
}

// requests returns what the server has received so far.
func (f *fakeS3) requests() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.reqs...)
}

// transport dials every address to the fake server, so virtual-host names
// such as media.s3.pukeko.test reach it without DNS, never uses a proxy,
// and trusts the server's test certificate (issued for example.com).
func (f *fakeS3) transport() *http.Transport {
	return loopbackTransport(f.addr, f.certs)
}

func loopbackTransport(addr string, certs *x509.CertPool) *http.Transport {
	var d net.Dialer
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		DisableCompression: true,
	}
	if certs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: certs, ServerName: "example.com"}
	}
	return tr
}

// newTestS3 returns an S3 backend on the fake server with its bucket
// created: virtual-host style if hostStyle, else path style; https if the
// server has a certificate.
func newTestS3(t *testing.T, f *fakeS3, bucket string, hostStyle bool) *S3 {
	t.Helper()
	scheme := "http://"
	if f.certs != nil {
		scheme = "https://"
	}
	cfg := S3Config{
		Endpoint:  scheme + f.addr,
		Bucket:    bucket,
		AccessKey: "test-access",
		SecretKey: "test-secret",
		PathStyle: !hostStyle,
		// Region left empty: the client asks the server (GetBucketLocation).
	}
	if hostStyle {
		_, port, _ := net.SplitHostPort(f.addr)
		cfg.Endpoint = scheme + fakeS3Domain + ":" + port
		cfg.Region = "us-east-1"
	}
	s, err := newS3(cfg, f.transport())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(t.Context()); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	return s
}

// addressing counts the requests for bucket sent path style (/bucket/…)
// and virtual-host style (Host bucket.s3.pukeko.test), leaving out bucket
// creation, which minio-go always sends path style.
func addressing(f *fakeS3, bucket string) (pathStyle, hostStyle int) {
	for _, r := range f.requests() {
		host, _, _ := strings.Cut(r.Host, ":")
		switch {
		case r.Method == http.MethodPut && strings.TrimSuffix(r.Path, "/") == "/"+bucket:
			// MakeBucket
		case host == bucket+"."+fakeS3Domain:
			hostStyle++
		case r.Path == "/"+bucket || strings.HasPrefix(r.Path, "/"+bucket+"/"):
			pathStyle++
		}
	}
	return pathStyle, hostStyle
}
