package server

import (
	"context"
	"errors"
	"log"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

// http.Server limits. There is deliberately no WriteTimeout: it would cut
// off long-lived streaming responses; handlers bound their own work.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 1 << 20
)

// newHTTPServer builds the http.Server used by Serve. BaseContext is left
// unset on purpose: deriving request contexts from Serve's ctx would cancel
// in-flight requests the moment shutdown begins, defeating graceful drain.
func (s *Server) newHTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(&errorLogWriter{logger: s.logger}, "", 0),
	}
}

// errorLogWriter carries net/http's own messages into slog. TLS handshake
// failures are routine on a public server (scanners, unknown names, old
// clients) and go to Debug; the rest are warnings.
type errorLogWriter struct{ logger *slog.Logger }

func (w *errorLogWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSpace(string(p))
	level := slog.LevelWarn
	if strings.Contains(msg, "TLS handshake error") {
		level = slog.LevelDebug
	}
	w.logger.Log(context.Background(), level, msg, "component", "http")
	return len(p), nil
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully:
// stops accepting, lets in-flight requests finish within ShutdownTimeout,
// then closes remaining connections. Returns nil after a clean shutdown, or
// the serving error. ln is closed when Serve returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.newHTTPServer()

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	s.logger.Info("http server listening", "addr", ln.Addr().String())

	select {
	case err := <-serveErr:
		// Serve stopped on its own (e.g. the listener failed).
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
	}

	s.logger.Info("http server shutting down", "timeout", s.shutdownTimeout)
	// A fresh context: ctx is already cancelled.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), s.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		// Timed out: force-close what's left. This is still the orderly
		// stop the caller asked for, so Serve returns nil.
		s.logger.Warn("graceful shutdown timed out; closing remaining connections",
			"waited_seconds", s.shutdownTimeout.Seconds(), "error", err)
		_ = srv.Close()
	}

	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	s.logger.Info("http server stopped")
	return nil
}
