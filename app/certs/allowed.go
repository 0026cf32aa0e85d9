package certs

import (
	"context"
	"errors"
	"sync"
	"time"
)

const (
	allowedPositiveTTL = time.Minute
	allowedNegativeTTL = 10 * time.Second
	// allowedMaxEntries bounds the cache against a flood of distinct names;
	// past it, expired entries are swept, and if that is not enough the
	// cache starts over.
	allowedMaxEntries = 10000
)

// errNotAllowed is the on-demand refusal for a name that is not ours.
var errNotAllowed = errors.New("certs: not a configured domain")

// allowCache remembers Allowed's answers for a while, so that handshakes for
// the same name (ours or a scanner's) do not each query the database.
type allowCache struct {
	allowed            func(ctx context.Context, name string) (bool, error)
	positive, negative time.Duration
	now                func() time.Time

	mu      sync.Mutex
	entries map[string]allowEntry
}

type allowEntry struct {
	ok      bool
	expires time.Time
}

func newAllowCache(allowed func(context.Context, string) (bool, error), positive, negative time.Duration) *allowCache {
	if positive <= 0 {
		positive = allowedPositiveTTL
	}
	if negative <= 0 {
		negative = allowedNegativeTTL
	}
	return &allowCache{
		allowed:  allowed,
		positive: positive,
		negative: negative,
		now:      time.Now,
		entries:  make(map[string]allowEntry),
	}
}

// decide has the shape of certmagic's OnDemandConfig.DecisionFunc: nil
// allows a certificate for name. Errors of Allowed refuse without being
// cached, so a database hiccup is retried at the next handshake.
func (c *allowCache) decide(ctx context.Context, name string) error {
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if !ok || now.After(e.expires) {
		if c.allowed == nil {
			return errNotAllowed
		}
		allowed, err := c.allowed(ctx, name)
		if err != nil {
			return err
		}
		ttl := c.negative
		if allowed {
			ttl = c.positive
		}
		e = allowEntry{ok: allowed, expires: now.Add(ttl)}
		c.store(name, e, now)
	}
	if !e.ok {
		return errNotAllowed
	}
	return nil
}

func (c *allowCache) store(name string, e allowEntry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= allowedMaxEntries {
		for k, old := range c.entries {
			if now.After(old.expires) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= allowedMaxEntries {
			clear(c.entries)
		}
	}
	c.entries[name] = e
}
