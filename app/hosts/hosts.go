// Package hosts resolves the Host of every request to the local domain it
// names (display or service domain), so that each handler knows which of
// the server's domains it answers for. Requests for unknown hosts are
// refused with 404 before any handler runs.
package hosts

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"pukeko/app/model"
	"pukeko/app/store"
)

// cacheFor bounds how long a resolution is reused: domains change rarely
// (an admin command), and every request needs one.
const cacheFor = 5 * time.Second

// Resolver maps hosts to local domains, with a short cache.
type Resolver struct {
	db    store.DB
	mu    sync.Mutex
	cache map[string]cached
	// always holds domains answered without the table: main_domain, where
	// the system actor lives even when no identities are served there.
	always map[string]*model.Domain
}

type cached struct {
	d  *model.Domain
	at time.Time
}

// NewResolver resolves hosts against the domains table; mainDomain is
// always known (the server's own actor lives there).
func NewResolver(db store.DB, mainDomain string) *Resolver {
	return &Resolver{db: db, cache: map[string]cached{}, always: map[string]*model.Domain{
		mainDomain: {Domain: mainDomain, Local: true, Public: true, SiteName: mainDomain, SignupPolicy: model.SignupClosed},
	}}
}

// Resolve returns the local domain host names, or nil.
func (r *Resolver) Resolve(ctx context.Context, host string) (*model.Domain, error) {
	host = Normalize(host)
	r.mu.Lock()
	c, ok := r.cache[host]
	r.mu.Unlock()
	if ok && time.Since(c.at) < cacheFor {
		return c.d, nil
	}
	d, err := store.LocalDomainByHost(ctx, r.db, host)
	if err != nil {
		return nil, err
	}
	if d == nil {
		d = r.always[host]
	}
	r.mu.Lock()
	if len(r.cache) > 10_000 { // hostile Host headers must not grow it forever
		r.cache = map[string]cached{}
	}
	r.cache[host] = cached{d: d, at: time.Now()}
	r.mu.Unlock()
	return d, nil
}

// Normalize lower-cases a Host header value and drops its port.
func Normalize(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

type ctxKey struct{}

// Domain returns the local domain a request was resolved to.
func Domain(ctx context.Context) *model.Domain {
	d, _ := ctx.Value(ctxKey{}).(*model.Domain)
	return d
}

// WithDomain returns ctx carrying d.
func WithDomain(ctx context.Context, d *model.Domain) context.Context {
	return context.WithValue(ctx, ctxKey{}, d)
}

// Host returns the host name the request was made for.
func Host(r *http.Request) string { return Normalize(r.Host) }

// Gate resolves each request's Host and refuses unknown ones with 404.
// Paths in exempt (health probes, metrics) pass whatever the Host, since
// probes address the server by IP.
func (r *Resolver) Gate(next http.Handler, exempt ...string) http.Handler {
	skip := map[string]bool{}
	for _, p := range exempt {
		skip[p] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if skip[req.URL.Path] {
			next.ServeHTTP(w, req)
			return
		}
		d, err := r.Resolve(req.Context(), req.Host)
		if err != nil {
			http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
			return
		}
		if d == nil {
			http.Error(w, "unknown host", http.StatusNotFound)
			return
		}
		next.ServeHTTP(w, req.WithContext(WithDomain(req.Context(), d)))
	})
}
