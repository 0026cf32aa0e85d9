package oauth

import (
	"net/http"
	"sync"
	"time"
)

// Grants are kept in memory for a moment, so that a client's burst of
// requests looks its token up once: an API request costs one query fewer.
// grantCacheTTL bounds how long a change made elsewhere (a token revoked
// by another process, a user banned from the command line) can go unseen
// by this process; changes made through this process's API drop the
// entry at once (see forgetAfterWrite).
const grantCacheTTL = time.Second

// grantCacheSize bounds the entries kept; past it the cache starts over.
const grantCacheSize = 10000

type cachedGrant struct {
	grant *Grant
	made  time.Time
}

// grantCache maps token hashes to grants.
type grantCache struct {
	mu sync.Mutex
	m  map[string]cachedGrant
}

// get returns a copy of the grant cached for hash, if fresh: handlers may
// change their copy (and its identity) without touching the cache.
func (gc *grantCache) get(hash []byte, now time.Time) *Grant {
	gc.mu.Lock()
	e, ok := gc.m[string(hash)]
	gc.mu.Unlock()
	if !ok || now.Sub(e.made) >= grantCacheTTL {
		return nil
	}
	g := *e.grant
	if g.Identity != nil {
		i := *g.Identity
		g.Identity = &i
	}
	return &g
}

func (gc *grantCache) put(hash []byte, g *Grant, now time.Time) {
	c := *g
	if c.Identity != nil {
		i := *c.Identity
		c.Identity = &i
	}
	gc.mu.Lock()
	defer gc.mu.Unlock()
	if gc.m == nil || len(gc.m) >= grantCacheSize {
		gc.m = map[string]cachedGrant{}
	}
	gc.m[string(hash)] = cachedGrant{grant: &c, made: now}
}

// forget drops the entry of hash.
func (gc *grantCache) forget(hash []byte) {
	gc.mu.Lock()
	delete(gc.m, string(hash))
	gc.mu.Unlock()
}

// clear drops every entry (after revoking tokens not known by hash).
func (gc *grantCache) clear() {
	gc.mu.Lock()
	gc.m = nil
	gc.mu.Unlock()
}

// ForgetGrants drops the grants this process keeps, after a change to
// users or tokens made outside the OAuth endpoints (an address confirmed,
// a user banned from this process).
func (s *Server) ForgetGrants() { s.grants.clear() }

// forgetAfterWrite drops the grant of a request that may change what the
// grant carries (its token, user or identity): any request but GET, HEAD
// and OPTIONS, once it is served, so that the client's next request sees
// its own change.
func (s *Server) forgetAfterWrite(r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return
	}
	if raw := bearerToken(r); raw != "" {
		s.grants.forget(hashSecret(raw))
	}
}
