package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config says where an S3 backend keeps its files.
type S3Config struct {
	// Endpoint is "host:port", or a URL "http(s)://host:port" whose scheme
	// then decides between http and https.
	Endpoint string
	// Bucket holds the files.
	Bucket string
	// Region is the bucket's region; empty lets the client ask the server.
	Region string
	// AccessKey and SecretKey sign requests; both empty means anonymous.
	AccessKey string
	SecretKey string
	// PathStyle addresses the bucket as host/bucket/key instead of the
	// virtual-host style bucket.host/key. Most self-hosted servers (MinIO,
	// Garage, SeaweedFS) want path style.
	PathStyle bool
	// Insecure talks plain http instead of https.
	Insecure bool
	// PublicBaseURL, if set, is where clients fetch files directly (a CDN
	// or the bucket's public address); URL returns PublicBaseURL + "/" +
	// key. Empty means Pukeko proxies files through Handler.
	PublicBaseURL string
}

// s3MaxRetries bounds minio's retries (10 by default, with backoff) so an
// endpoint that refuses connections fails within about a second.
const s3MaxRetries = 3

// s3DialTimeout replaces minio's 30s connect timeout, so an endpoint that
// drops packets fails in tens of seconds (with the retries), not minutes.
const s3DialTimeout = 5 * time.Second

// S3 stores files as objects in one bucket of an S3-compatible service.
type S3 struct {
	client  *minio.Client
	bucket  string
	where   string // endpoint and bucket, for error messages
	baseURL string
}

var _ Backend = (*S3)(nil)

// NewS3 returns an S3 backend for cfg. It does not contact the server;
// call EnsureBucket at startup to check it and create the bucket.
func NewS3(cfg S3Config) (*S3, error) {
	return newS3(cfg, nil)
}

// newS3 is NewS3 with a chosen HTTP transport (nil for the default);
// tests use it to route virtual-host names to a loopback server.
func newS3(cfg S3Config, rt http.RoundTripper) (*S3, error) {
	host, secure, err := parseEndpoint(cfg.Endpoint, cfg.Insecure)
	if err != nil {
		return nil, err
	}
	if cfg.Bucket == "" {
		return nil, errors.New("storage: s3 bucket is not set")
	}
	if rt == nil {
		tr, err := minio.DefaultTransport(secure)
		if err != nil {
			return nil, fmt.Errorf("storage: s3 transport: %w", err)
		}
		tr.DialContext = (&net.Dialer{Timeout: s3DialTimeout, KeepAlive: 30 * time.Second}).DialContext
		rt = tr
	}
	lookup := minio.BucketLookupDNS
	if cfg.PathStyle {
		lookup = minio.BucketLookupPath
	}
	client, err := minio.New(host, &minio.Options{
		Creds:        credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:       secure,
		Transport:    rt,
		Region:       cfg.Region,
		BucketLookup: lookup,
		MaxRetries:   s3MaxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: s3 endpoint %q: %w", cfg.Endpoint, err)
	}
	scheme := "https"
	if !secure {
		scheme = "http"
	}
	return &S3{
		client:  client,
		bucket:  cfg.Bucket,
		where:   fmt.Sprintf("%s://%s bucket %s", scheme, host, cfg.Bucket),
		baseURL: strings.TrimRight(cfg.PublicBaseURL, "/"),
	}, nil
}

// parseEndpoint splits Endpoint into the host:port minio wants and whether
// to use TLS. A URL's scheme must not contradict Insecure, and it may not
// carry a path: S3 clients cannot put the bucket below one.
func parseEndpoint(endpoint string, insecure bool) (host string, secure bool, err error) {
	if endpoint == "" {
		return "", false, errors.New("storage: s3 endpoint is not set")
	}
	if !strings.Contains(endpoint, "://") {
		if strings.ContainsAny(endpoint, "/?#") {
			return "", false, fmt.Errorf("storage: s3 endpoint %q: want host:port or a URL", endpoint)
		}
		return endpoint, !insecure, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", false, fmt.Errorf("storage: s3 endpoint: %w", err)
	}
	switch {
	case u.Host == "":
		return "", false, fmt.Errorf("storage: s3 endpoint %q has no host", endpoint)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "", u.User != nil:
		return "", false, fmt.Errorf("storage: s3 endpoint %q: only scheme://host:port is allowed", endpoint)
	case u.Scheme == "http":
		return u.Host, false, nil
	case u.Scheme == "https" && insecure:
		return "", false, fmt.Errorf("storage: s3 endpoint %q is https but insecure (http) is set", endpoint)
	case u.Scheme == "https":
		return u.Host, true, nil
	}
	return "", false, fmt.Errorf("storage: s3 endpoint %q: scheme must be http or https", endpoint)
}

// fail wraps err with the operation, endpoint, bucket and key.
func (s *S3) fail(op, key string, err error) error {
	if key == "" {
		return fmt.Errorf("storage: s3 %s (%s): %w", op, s.where, err)
	}
	return fmt.Errorf("storage: s3 %s %q (%s): %w", op, key, s.where, err)
}

// EnsureBucket creates the bucket if it does not exist yet. It is also a
// cheap check that the endpoint and credentials work.
func (s *S3) EnsureBucket(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("check bucket", "", err)
	}
	if ok {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
		return s.fail("create bucket", "", err)
	}
	return nil
}

// Put uploads the object with its content type and CacheControl. A single
// PUT (or a completed multipart upload) is atomic in S3.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	typ, err := putType(key, contentType)
	if err != nil {
		return err
	}
	opts := minio.PutObjectOptions{
		ContentType:  typ,
		CacheControl: CacheControl,
	}
	if size == 0 {
		// Over http minio-go signs bodies as aws-chunked streams, and an
		// empty stream goes out with chunked transfer encoding and no
		// Content-Length, which S3 refuses (MissingContentLength). An
		// empty body has nothing to sign: send it as a plain PUT.
		opts.DisableContentSha256 = true
	}
	_, err = s.client.PutObject(ctx, s.bucket, key, r, size, opts)
	if err != nil {
		return s.fail("put", key, err)
	}
	return nil
}

// Open stats the object (one HEAD request) and returns it; the body is
// fetched, with a Range from the current offset, on the first Read after
// open or a Seek.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.fail("open", key, err)
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if isNoSuchKey(err) {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, key)
		}
		return nil, s.fail("open", key, err)
	}
	typ := info.ContentType
	if typ == "" {
		typ = ContentType(key)
	}
	return &s3Object{Object: obj, size: info.Size, mod: info.LastModified, typ: typ}, nil
}

// Delete removes the object; S3 reports success for a missing one.
func (s *S3) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && !isNoSuchKey(err) {
		return s.fail("delete", key, err)
	}
	return nil
}

// Exists stats the object.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	if err := checkKey(key); err != nil {
		return false, err
	}
	_, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if isNoSuchKey(err) {
		return false, nil
	}
	if err != nil {
		return false, s.fail("stat", key, err)
	}
	return true, nil
}

// URL is PublicBaseURL + "/" + key, or "" when no public base URL is set
// (or key is invalid) and Pukeko proxies the file.
func (s *S3) URL(key string) string {
	if s.baseURL == "" || !ValidKey(key) {
		return ""
	}
	return s.baseURL + "/" + key
}

// isNoSuchKey reports an S3 "no such key" error. A HEAD request has no
// error body, so minio derives the code from the 404 status.
func isNoSuchKey(err error) bool {
	return err != nil && minio.ToErrorResponse(err).Code == minio.NoSuchKey
}

// s3Object is an open object with the metadata taken at Open (minio's own
// Stat reports the size remaining after the current offset).
type s3Object struct {
	*minio.Object
	size int64
	mod  time.Time
	typ  string
}

func (o *s3Object) Size() int64         { return o.size }
func (o *s3Object) ModTime() time.Time  { return o.mod }
func (o *s3Object) ContentType() string { return o.typ }
