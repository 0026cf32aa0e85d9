package certs

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/caddyserver/certmagic"
	"github.com/mholt/acmez/v3"
)

// startAuto sets up certmagic: one cache, an on-demand config guarded by
// Allowed for handshakes, and a managed config for the preloaded names.
// Both share the storage and the ACME issuer.
func (m *Manager) startAuto(ctx context.Context, opts Options) error {
	storage, err := newStorage(opts)
	if err != nil {
		return err
	}
	m.pg, _ = storage.(*pgStorage)
	roots, err := trustedRoots(opts.CARoot)
	if err != nil {
		return err
	}
	solverHost, httpPort, tlsPort, err := solverAddrs(opts.HTTPListen, opts.HTTPSListen)
	if err != nil {
		return err
	}
	zl := newZapLogger(opts.Logger)
	allow := newAllowCache(opts.Allowed, opts.allowedPositive, opts.allowedNegative)
	preloaded := &nameSet{}

	var onDemand, managed *certmagic.Config
	m.cache = certmagic.NewCache(certmagic.CacheOptions{
		// Preloaded names are renewed on a timer by the managed config;
		// certmagic renews on-demand certificates only during handshakes.
		GetConfigForCert: func(c certmagic.Certificate) (*certmagic.Config, error) {
			if preloaded.containsAny(c.Names) {
				return managed, nil
			}
			return onDemand, nil
		},
		Logger: zl,
	})
	onDemand = certmagic.New(m.cache, certmagic.Config{
		Storage:  storage,
		OnDemand: &certmagic.OnDemandConfig{DecisionFunc: allow.decide},
		Logger:   zl,
	})
	m.issuer = certmagic.NewACMEIssuer(onDemand, certmagic.ACMEIssuer{
		CA:           opts.CA,
		Email:        opts.Email,
		Agreed:       true,
		TrustedRoots: roots,
		// Aimed at our own listeners, so that the solvers find the
		// address taken and leave the answering to HTTPHandler and
		// TLSConfig (see Options.HTTPListen).
		ListenHost:              solverHost,
		AltHTTPPort:             httpPort,
		AltTLSALPNPort:          tlsPort,
		DisableHTTPChallenge:    opts.disableHTTP01,
		DisableTLSALPNChallenge: opts.disableTLSALPN,
		Logger:                  zl,
	})
	onDemand.Issuers = []certmagic.Issuer{m.issuer}
	managed = certmagic.New(m.cache, certmagic.Config{
		Storage: storage,
		Issuers: onDemand.Issuers,
		Logger:  zl,
	})
	m.getCertificate = onDemand.GetCertificate
	m.nextProtos = []string{"h2", "http/1.1", acmez.ACMETLS1Protocol}

	if opts.Preload != nil {
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			names, err := opts.Preload(ctx)
			if err != nil {
				m.logger.Error("certs: listing the domains to obtain certificates for", "error", err)
				return
			}
			preloaded.add(names)
			// Returns once the work is queued; certmagic retries failures
			// with backoff until ctx ends.
			if err := managed.ManageAsync(ctx, names); err != nil {
				m.logger.Error("certs: managing certificates", "names", names, "error", err)
			}
		}()
	}
	return nil
}

// newStorage returns where certmagic keeps accounts, keys and certificates.
func newStorage(opts Options) (certmagic.Storage, error) {
	switch opts.Storage {
	case "", "file":
		if opts.DataDir == "" {
			return nil, errors.New("certs: file storage needs a data directory")
		}
		return &certmagic.FileStorage{Path: filepath.Join(opts.DataDir, "certmagic")}, nil
	case "postgres":
		if opts.DB == nil {
			return nil, errors.New("certs: postgres storage needs a database")
		}
		return newPGStorage(opts.DB), nil
	default:
		return nil, fmt.Errorf("certs: unknown storage %q (want file or postgres)", opts.Storage)
	}
}

// trustedRoots returns the roots for talking to the ACME server: the
// system's plus those of caRoot, or nil (the system's alone) when caRoot is
// empty. certmagic trusts only the pool it is given, so the system roots
// must be in it for a public CA to keep working.
func trustedRoots(caRoot string) (*x509.CertPool, error) {
	if caRoot == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caRoot)
	if err != nil {
		return nil, fmt.Errorf("certs: reading ca_root: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("certs: ca_root %s holds no PEM certificate", caRoot)
	}
	return pool, nil
}

// solverAddrs derives certmagic's ListenHost and challenge ports from the
// listen addresses. certmagic has one ListenHost for both challenges; the
// HTTP listener's host wins, which is right whenever both listeners share a
// host, as they normally do.
func solverAddrs(httpListen, httpsListen string) (host string, httpPort, tlsPort int, err error) {
	if httpListen == "" {
		httpListen = ":80"
	}
	if httpsListen == "" {
		httpsListen = ":443"
	}
	host, httpPort, err = splitListen(httpListen)
	if err != nil {
		return "", 0, 0, fmt.Errorf("certs: http listen address: %w", err)
	}
	httpsHost, tlsPort, err := splitListen(httpsListen)
	if err != nil {
		return "", 0, 0, fmt.Errorf("certs: https listen address: %w", err)
	}
	if host == "" {
		host = httpsHost
	}
	return host, httpPort, tlsPort, nil
}

func splitListen(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	p, err := net.LookupPort("tcp", port)
	if err != nil {
		return "", 0, err
	}
	return host, p, nil
}

// nameSet is a concurrency-safe set of lower-case names.
type nameSet struct {
	mu    sync.RWMutex
	names map[string]bool
}

func (s *nameSet) add(names []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.names == nil {
		s.names = make(map[string]bool, len(names))
	}
	for _, n := range names {
		s.names[strings.ToLower(n)] = true
	}
}

func (s *nameSet) containsAny(names []string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, n := range names {
		if s.names[strings.ToLower(n)] {
			return true
		}
	}
	return false
}
