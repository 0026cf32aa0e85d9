package media

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"pukeko/app/model"
)

// FileURL is where clients fetch a stored file: the storage's public URL
// (S3 with a public base URL), else /media/<key> on host.
func (s *Service) FileURL(host, key string) string {
	if key == "" {
		return ""
	}
	if u := s.Backend.URL(key); u != "" {
		return u
	}
	return s.Scheme + "://" + host + "/media/" + key
}

// ProxyURL is where clients fetch a remote file through this server:
// /proxy/<signature>/<the URL, base64url>. The signature (a keyed hash
// with a secret every process shares through the database) keeps the
// proxy from fetching addresses we never handed out.
func (s *Service) ProxyURL(ctx context.Context, host, remote string) (string, error) {
	if remote == "" {
		return "", nil
	}
	key, err := s.secret(ctx)
	if err != nil {
		return "", err
	}
	return s.Scheme + "://" + host + "/proxy/" + proxySignature(key, remote) + "/" +
		base64.RawURLEncoding.EncodeToString([]byte(remote)), nil
}

// proxySignature is the first 128 bits of HMAC-SHA256(key, url).
func proxySignature(key []byte, url string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(url))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// proxyTarget checks a proxy path's signature and returns the URL it
// names.
func (s *Service) proxyTarget(ctx context.Context, sig, enc string) (string, bool, error) {
	enc, _, _ = strings.Cut(enc, ".") // an extension some clients like to see
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", false, nil
	}
	key, err := s.secret(ctx)
	if err != nil {
		return "", false, err
	}
	want := proxySignature(key, string(raw))
	return string(raw), hmac.Equal([]byte(sig), []byte(want)), nil
}

// secret loads the proxy's signing key once.
func (s *Service) secret(ctx context.Context) ([]byte, error) {
	s.proxyKeyOnce.Lock()
	defer s.proxyKeyOnce.Unlock()
	if s.proxyKey != nil {
		return s.proxyKey, nil
	}
	var key []byte
	if err := s.DB.QueryRow(ctx, `SELECT secret FROM server_secrets WHERE name = 'media_proxy'`).Scan(&key); err != nil {
		return nil, fmt.Errorf("media: loading the proxy secret: %w", err)
	}
	s.proxyKey = key
	return key, nil
}

// AttachmentURLs are the addresses of an attachment's file and preview as
// clients on host should fetch them, and the original's address for a
// remote attachment ("" for ours).
func (s *Service) AttachmentURLs(ctx context.Context, host string, a *model.Attachment) (url, preview, remote string, err error) {
	if !a.Local {
		u, err := s.ProxyURL(ctx, host, a.RemoteURL)
		return u, u, a.RemoteURL, err
	}
	url = s.FileURL(host, a.FileKey)
	preview = s.FileURL(host, a.ThumbnailKey)
	if preview == "" && a.Kind == model.MediaImage {
		preview = url
	}
	return url, preview, "", nil
}
