package certs

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/caddyserver/certmagic"
)

// Manager provides TLS certificates to the HTTPS listener, in mode auto or
// files (see the package documentation).
type Manager struct {
	logger *slog.Logger
	// getCertificate serves a handshake; it is certmagic's in mode auto and
	// the file store's in mode files.
	getCertificate func(*tls.ClientHelloInfo) (*tls.Certificate, error)
	nextProtos     []string

	// Mode auto.
	cache  *certmagic.Cache
	issuer *certmagic.ACMEIssuer // answers HTTP-01 in HTTPHandler
	pg     *pgStorage            // nil unless storage is postgres

	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New builds the Manager for opts.Mode. ctx bounds the Manager's
// background work (preloading, obtaining and renewing certificates,
// reloading files) as Close does, so it should live as long as the server.
func New(ctx context.Context, opts Options) (*Manager, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	ctx, cancel := context.WithCancel(ctx)
	m := &Manager{logger: opts.Logger, cancel: cancel}
	var err error
	switch opts.Mode {
	case "auto":
		err = m.startAuto(ctx, opts)
	case "files":
		err = m.startFiles(ctx, opts)
	default:
		err = fmt.Errorf("certs: mode %q has no certificate manager (want auto or files)", opts.Mode)
	}
	if err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// TLSConfig returns the configuration of the HTTPS listener: certificates
// chosen by SNI, HTTP/2 and HTTP/1.1 (and acme-tls/1 for TLS-ALPN-01
// challenges in mode auto), TLS 1.2 at least.
func (m *Manager) TLSConfig() *tls.Config {
	return &tls.Config{
		MinVersion:     tls.VersionTLS12,
		NextProtos:     append([]string(nil), m.nextProtos...),
		GetCertificate: m.serveCertificate,
	}
}

// serveCertificate wraps the mode's GetCertificate to log refusals at
// Debug: an unknown SNI is routine (scanners, stale DNS), not an error.
func (m *Manager) serveCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	cert, err := m.getCertificate(hello)
	if err != nil {
		remote := ""
		if hello.Conn != nil {
			remote = hello.Conn.RemoteAddr().String()
		}
		m.logger.Debug("certs: no certificate for TLS handshake", "server_name", hello.ServerName, "remote", remote, "error", err)
		return nil, err
	}
	return cert, nil
}

// Close stops background work and releases certmagic's resources (its
// locks among them). It may be called more than once.
func (m *Manager) Close() {
	m.closeOnce.Do(func() {
		m.cancel()
		if m.cache != nil {
			m.cache.Stop()
		}
		m.wg.Wait()
		if m.pg != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			m.pg.releaseAll(ctx)
		}
	})
}
