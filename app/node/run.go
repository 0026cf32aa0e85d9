package node

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"time"
)

// Listeners are the sockets a node serves on, bound by the caller (while
// still root, for ports below 1024).
type Listeners struct {
	// Plain serves the site over plain HTTP (tls mode off: behind a proxy).
	Plain net.Listener
	// HTTPS serves the site with certificates from the TLS manager (modes
	// auto and files); HTTP answers ACME challenges and redirects to HTTPS.
	HTTPS, HTTP net.Listener
}

// Run serves until ctx ends, running the Stator runner beside the web
// server; the first to fail stops the others. It returns once all stopped.
func (n *Node) Run(ctx context.Context, ls Listeners) error {
	parts := []func(context.Context) error{}
	if ls.Plain != nil {
		parts = append(parts, func(ctx context.Context) error { return n.Server.Serve(ctx, ls.Plain) })
	}
	if ls.HTTPS != nil || ls.HTTP != nil {
		m, err := n.newCertManager(ctx)
		if err != nil {
			return err
		}
		defer m.Close()
		if ls.HTTPS != nil {
			tlsLn := tls.NewListener(ls.HTTPS, m.TLSConfig())
			parts = append(parts, func(ctx context.Context) error { return n.Server.Serve(ctx, tlsLn) })
		}
		if ls.HTTP != nil {
			handler := m.HTTPHandler(nil)
			parts = append(parts, func(ctx context.Context) error { return servePlain(ctx, ls.HTTP, handler) })
		}
	}
	if n.Runner != nil {
		parts = append(parts, n.Runner.Run)
	}
	if n.API != nil {
		// Streaming connections end as shutdown begins, so that they do not
		// hold the HTTP server's drain until its timeout.
		parts = append(parts, func(ctx context.Context) error {
			<-ctx.Done()
			n.API.CloseStreaming()
			n.API.CloseCaches()
			return nil
		})
	}
	return RunTogether(ctx, parts...)
}

// servePlain serves the redirecting plain-HTTP listener until ctx ends.
func servePlain(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second}
	errs := make(chan error, 1)
	go func() { errs <- srv.Serve(ln) }()
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	if err := <-errs; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunTogether runs parts until ctx ends or one of them fails, which stops
// the others too; it returns the first error once all have returned.
func RunTogether(ctx context.Context, parts ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(parts))
	for _, part := range parts {
		go func() { errs <- part(ctx) }()
	}
	var first error
	for range parts {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
