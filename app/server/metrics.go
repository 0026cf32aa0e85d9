package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// unmatchedRoute is the route label of requests no registered pattern
// handled: 404s, 405s, the mux's redirects, and requests refused before
// routing (e.g. a Content-Length over the body limit).
const unmatchedRoute = "unmatched"

// httpMetrics holds the request metrics of one Server.
type httpMetrics struct {
	requests *prometheus.CounterVec   // pukeko_http_requests_total{method,route,code}
	duration *prometheus.HistogramVec // pukeko_http_request_duration_seconds{method,route}
}

// newHTTPMetrics registers the request metrics on reg. If another Server
// already registered them on the same registry, that registration is
// shared rather than panicking, so both servers feed one set of series.
func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pukeko_http_requests_total",
			Help: "HTTP requests served, by method, matched route pattern and status code.",
		}, []string{"method", "route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pukeko_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by method and matched route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	m.requests = registerOrReuse(reg, m.requests)
	m.duration = registerOrReuse(reg, m.duration)
	return m
}

// registerOrReuse registers c on reg, or returns the equal collector that
// is already registered there.
func registerOrReuse[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic("server: registering HTTP metrics: " + err.Error())
}

// routeKey is the context key of the *string a matched route fills in.
type routeKey struct{}

// withRoute wraps a handler registered for pattern so that it reports the
// pattern to the metrics middleware. The pattern is taken from the
// registration rather than read from r.Pattern after the mux returns: the
// mux sets r.Pattern for its own redirects too, to the raw target path for
// CONNECT requests (unbounded label values), and middleware that copies the
// request (r.WithContext) would hide it from outer layers.
func withRoute(pattern string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slot, ok := r.Context().Value(routeKey{}).(*string); ok {
			*slot = pattern
		}
		h.ServeHTTP(w, r)
	})
}

// measure counts and times every request. It must sit outside the recovery
// and body limit middleware so that it records the status they write.
func (m *httpMetrics) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := recorderFor(w)
		route := unmatchedRoute
		r = r.WithContext(context.WithValue(r.Context(), routeKey{}, &route))
		completed := false
		// Deferred so that aborted requests (a panic propagating past the
		// recovery middleware) are counted too.
		defer func() {
			method := methodLabel(r.Method)
			m.requests.WithLabelValues(method, route, codeLabel(rec, completed)).Inc()
			m.duration.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(rec, r)
		completed = true
	})
}

// methodLabel returns the method for use as a label value. Clients may send
// any token as a method, so unknown ones share one value to keep the number
// of series bounded.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions,
		http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// codeLabel returns the status code sent, as a label value. With no status
// written, net/http sends 200 for a handler that returned, and nothing at
// all for a hijacked connection or an aborted response.
func codeLabel(rec *responseRecorder, completed bool) string {
	switch {
	case rec.status != 0:
		return strconv.Itoa(rec.status)
	case rec.hijacked:
		return "hijacked"
	case !completed:
		return "aborted"
	}
	return "200"
}
