package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Defaults applied by New when the corresponding Options field is unset.
const (
	// DefaultMaxBodyBytes is the request body limit used when
	// Options.MaxBodyBytes <= 0.
	DefaultMaxBodyBytes int64 = 16 << 20
	// DefaultShutdownTimeout is how long in-flight requests get at shutdown
	// when Options.ShutdownTimeout <= 0.
	DefaultShutdownTimeout = 10 * time.Second
)

// defaultReadyTimeout bounds one call of Options.Ready from /readyz.
const defaultReadyTimeout = 2 * time.Second

// Options configures a Server.
type Options struct {
	// Logger receives request logs, panics and net/http errors. Required.
	Logger *slog.Logger
	// MaxBodyBytes is the request body limit; <=0 means 16 MiB.
	MaxBodyBytes int64
	// ShutdownTimeout is how long in-flight requests get at shutdown;
	// <=0 means 10s.
	ShutdownTimeout time.Duration
	// Ready is the readiness probe behind /readyz: nil error means ready.
	// It may be nil, in which case the server is always ready.
	Ready func(ctx context.Context) error
	// Metrics is the registry the HTTP request metrics are registered on
	// and GET /metrics exposes (see app/metrics.New). Nil means neither
	// request metrics nor a /metrics route.
	Metrics *prometheus.Registry
	// MetricsToken, when set, is the bearer token GET /metrics requires.
	// When empty, /metrics answers only direct loopback requests.
	MetricsToken string
	// Gate, when set, wraps the routes: it may refuse a request before any
	// route sees it (an unknown Host) or enrich its context (the domain).
	Gate func(http.Handler) http.Handler
}

// Server is the HTTP server skeleton. Create it with New, register routes
// with Handle/HandleFunc, then run it with Serve.
type Server struct {
	logger          *slog.Logger
	maxBodyBytes    int64
	shutdownTimeout time.Duration
	ready           func(ctx context.Context) error

	// readyTimeout bounds each readiness check. It is a field rather than a
	// package variable so tests can shorten it on their own Server without
	// racing parallel tests.
	readyTimeout time.Duration

	// metrics is nil when Options.Metrics is nil.
	metrics *httpMetrics

	mux    *http.ServeMux
	mounts []mount // prefixes served before the mux (Mount)
	// notFound answers unmatched requests under a prefix (NotFound).
	notFound []mount
	handler  http.Handler
}

// New returns a Server with /healthz and /readyz registered. It panics if
// opts.Logger is nil, since that is a programming error.
func New(opts Options) *Server {
	if opts.Logger == nil {
		panic("server: Options.Logger is required")
	}
	s := &Server{
		logger:          opts.Logger,
		maxBodyBytes:    opts.MaxBodyBytes,
		shutdownTimeout: opts.ShutdownTimeout,
		ready:           opts.Ready,
		readyTimeout:    defaultReadyTimeout,
		mux:             http.NewServeMux(),
	}
	if s.maxBodyBytes <= 0 {
		s.maxBodyBytes = DefaultMaxBodyBytes
	}
	if s.shutdownTimeout <= 0 {
		s.shutdownTimeout = DefaultShutdownTimeout
	}

	if opts.Metrics != nil {
		// Before any route is registered: Handle tags routes only when
		// metrics are on.
		s.metrics = newHTTPMetrics(opts.Metrics)
	}

	s.HandleFunc("GET /healthz", s.handleHealthz)
	s.HandleFunc("GET /readyz", s.handleReadyz)
	if opts.Metrics != nil {
		s.Handle("GET /metrics", guardMetrics(opts.MetricsToken,
			promhttp.HandlerFor(opts.Metrics, promhttp.HandlerOpts{})))
	}

	// Outermost first: logging and metrics see the final status (including
	// the 500 written by recovery and the 413 written by the body limit).
	var h http.Handler = http.HandlerFunc(s.dispatch)
	if opts.Gate != nil {
		h = opts.Gate(h)
	}
	h = limitBody(s.maxBodyBytes, h)
	h = recoverPanics(s.logger, h)
	if s.metrics != nil {
		h = s.metrics.measure(h)
	}
	h = logRequests(s.logger, h)
	s.handler = h
	return s
}

// Handle registers h for pattern (Go 1.22+ ServeMux syntax, e.g.
// "GET /users/{name}") on the inner mux. Like ServeMux, it panics on an
// invalid or conflicting pattern.
func (s *Server) Handle(pattern string, h http.Handler) {
	if s.metrics != nil {
		h = withRoute(pattern, h)
	}
	s.mux.Handle(pattern, h)
}

// Mount sends every request whose path starts with prefix (such as
// "/media/") to h, before the pattern mux sees it: for trees of files that
// would collide with the mux's single-segment wildcards (/{handle}/outbox
// and /media/<key> both match /media/outbox). Mount before serving.
func (s *Server) Mount(prefix string, h http.Handler) {
	if s.metrics != nil {
		h = withRoute(prefix, h)
	}
	s.mounts = append(s.mounts, mount{prefix: prefix, h: h})
}

// mount is a prefix served by its own handler (Mount).
type mount struct {
	prefix string
	h      http.Handler
}

// NotFound answers requests under prefix that no route matches with h
// (the client API answers JSON errors, not the mux's plain text).
func (s *Server) NotFound(prefix string, h http.Handler) {
	s.notFound = append(s.notFound, mount{prefix: prefix, h: h})
}

// dispatch serves a request from its mount, or else from the mux.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	for _, m := range s.mounts {
		if strings.HasPrefix(r.URL.Path, m.prefix) {
			m.h.ServeHTTP(w, r)
			return
		}
	}
	if len(s.notFound) > 0 {
		if _, pattern := s.mux.Handler(r); pattern == "" {
			for _, m := range s.notFound {
				if strings.HasPrefix(r.URL.Path, m.prefix) {
					m.h.ServeHTTP(w, r)
					return
				}
			}
		}
	}
	s.mux.ServeHTTP(w, r)
}

// HandleFunc registers h for pattern on the inner mux; see Handle.
func (s *Server) HandleFunc(pattern string, h http.HandlerFunc) {
	s.Handle(pattern, h)
}

// Handler returns the full middleware-wrapped handler. Routes registered
// later are still served, because the chain wraps the same mux.
func (s *Server) Handler() http.Handler {
	return s.handler
}
