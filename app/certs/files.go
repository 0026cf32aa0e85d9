package certs

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// filesReloadInterval is how often mode files looks for changed files:
// often enough that a renewed certificate is served within seconds, rarely
// enough to cost nothing.
const filesReloadInterval = 10 * time.Second

// fileStore serves certificates from PEM files: the pair cert_file/key_file
// for any name, and <domain>.crt/<domain>.key pairs in certs_dir for their
// domain. A ticker reloads files whose size or modification time changed;
// a file that fails to load keeps the certificate loaded before it.
type fileStore struct {
	certFile, keyFile string
	dir               string
	logger            *slog.Logger

	mu       sync.RWMutex
	fallback *tls.Certificate            // from certFile/keyFile
	byName   map[string]*tls.Certificate // from dir, by lower-case domain
	seen     map[string]pairStamp        // last attempted state of each pair, by .crt path
}

// pairStamp identifies the version of a pair of files, so that a pair is
// reloaded only when one of them changed (and a broken pair is not
// reported again and again).
type pairStamp struct {
	certMod, keyMod   time.Time
	certSize, keySize int64
}

// startFiles loads the files and starts the reload ticker.
func (m *Manager) startFiles(ctx context.Context, opts Options) error {
	f := &fileStore{
		certFile: opts.CertFile,
		keyFile:  opts.KeyFile,
		dir:      opts.CertsDir,
		logger:   opts.Logger,
		byName:   make(map[string]*tls.Certificate),
		seen:     make(map[string]pairStamp),
	}
	if f.certFile == "" && f.dir == "" {
		return errors.New("certs: mode files needs cert_file and key_file, or certs_dir")
	}
	// At start the single pair must load: without it the server would
	// have nothing to serve for most names. A directory may fill later.
	if f.certFile != "" {
		cert, err := tls.LoadX509KeyPair(f.certFile, f.keyFile)
		if err != nil {
			return fmt.Errorf("certs: loading %s and %s: %w", f.certFile, f.keyFile, err)
		}
		f.fallback = &cert
		f.seen[f.certFile], _ = stampPair(f.certFile, f.keyFile)
	}
	f.reload()
	m.getCertificate = f.getCertificate
	m.nextProtos = []string{"h2", "http/1.1"}

	interval := opts.filesReload
	if interval <= 0 {
		interval = filesReloadInterval
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				f.reload()
			}
		}
	}()
	return nil
}

// getCertificate picks the certificate for the SNI name: the directory's
// pair for that exact name, else the single pair.
func (f *fileStore) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	name := strings.ToLower(strings.TrimSuffix(hello.ServerName, "."))
	f.mu.RLock()
	defer f.mu.RUnlock()
	if cert := f.byName[name]; cert != nil {
		return cert, nil
	}
	if f.fallback != nil {
		return f.fallback, nil
	}
	return nil, fmt.Errorf("certs: no certificate file for %q", name)
}

// reload loads the pairs that changed since the last look and forgets the
// directory's pairs whose files are gone.
func (f *fileStore) reload() {
	if f.certFile != "" {
		if cert, ok := f.loadIfChanged(f.certFile, f.keyFile); ok {
			f.mu.Lock()
			f.fallback = cert
			f.mu.Unlock()
		}
	}
	if f.dir == "" {
		return
	}
	crts, err := filepath.Glob(filepath.Join(f.dir, "*.crt"))
	if err != nil {
		f.logger.Error("certs: listing certificate files", "dir", f.dir, "error", err)
		return
	}
	present := make(map[string]bool, len(crts))
	for _, crt := range crts {
		name := strings.ToLower(strings.TrimSuffix(filepath.Base(crt), ".crt"))
		present[name] = true
		key := strings.TrimSuffix(crt, ".crt") + ".key"
		if cert, ok := f.loadIfChanged(crt, key); ok {
			f.mu.Lock()
			f.byName[name] = cert
			f.mu.Unlock()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for name := range f.byName {
		if !present[name] {
			delete(f.byName, name)
			f.logger.Info("certs: certificate file removed", "dir", f.dir, "name", name)
		}
	}
	for crt := range f.seen {
		if crt != f.certFile && !present[strings.ToLower(strings.TrimSuffix(filepath.Base(crt), ".crt"))] {
			delete(f.seen, crt)
		}
	}
}

// loadIfChanged loads the pair if its files changed since the last attempt.
// ok is false when nothing changed or loading failed (logged); the caller
// keeps what it had.
func (f *fileStore) loadIfChanged(crt, key string) (*tls.Certificate, bool) {
	stamp, err := stampPair(crt, key)
	if err != nil {
		f.logger.Error("certs: reading certificate files", "cert", crt, "key", key, "error", err)
		return nil, false
	}
	f.mu.RLock()
	last, known := f.seen[crt]
	f.mu.RUnlock()
	if known && last == stamp {
		return nil, false
	}
	f.mu.Lock()
	f.seen[crt] = stamp
	f.mu.Unlock()
	cert, err := tls.LoadX509KeyPair(crt, key)
	if err != nil {
		f.logger.Error("certs: loading certificate files; keeping the previous certificate", "cert", crt, "key", key, "error", err)
		return nil, false
	}
	f.logger.Info("certs: certificate loaded", "cert", crt, "names", cert.Leaf.DNSNames, "not_after", cert.Leaf.NotAfter)
	return &cert, true
}

func stampPair(crt, key string) (pairStamp, error) {
	ci, err := os.Stat(crt)
	if err != nil {
		return pairStamp{}, err
	}
	ki, err := os.Stat(key)
	if err != nil {
		return pairStamp{}, err
	}
	return pairStamp{certMod: ci.ModTime(), keyMod: ki.ModTime(), certSize: ci.Size(), keySize: ki.Size()}, nil
}
