package mastodon

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter counts requests per caller (token, or address when logged
// out) in fixed windows, as Mastodon's 300 requests per 5 minutes, and
// tells clients where they stand in X-RateLimit-* headers. Counts are per
// process: with several web processes the limit is per process, which
// keeps it free of database writes on every request.
type rateLimiter struct {
	limit  int
	window time.Duration

	mu      sync.Mutex
	windows map[string]*rateWindow
	swept   time.Time
}

type rateWindow struct {
	start time.Time
	count int
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, windows: map[string]*rateWindow{}}
}

// allow counts a request of key at now and returns how many remain and
// when the window resets; ok is false when the limit is reached.
func (l *rateLimiter) allow(key string, now time.Time) (remaining int, reset time.Time, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.window {
		for k, w := range l.windows {
			if now.Sub(w.start) >= l.window {
				delete(l.windows, k)
			}
		}
		l.swept = now
	}
	w := l.windows[key]
	if w == nil || now.Sub(w.start) >= l.window {
		w = &rateWindow{start: now.Truncate(time.Second)}
		l.windows[key] = w
	}
	reset = w.start.Add(l.window)
	if w.count >= l.limit {
		return 0, reset, false
	}
	w.count++
	return l.limit - w.count, reset, true
}

// wrap applies the limit to h.
func (l *rateLimiter) wrap(h http.Handler) http.Handler {
	if l == nil || l.limit <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Authorization")
		if key == "" {
			key = r.URL.Query().Get("access_token")
		}
		if key == "" {
			key, _, _ = net.SplitHostPort(r.RemoteAddr)
		}
		remaining, reset, ok := l.allow(key, time.Now())
		hd := w.Header()
		hd.Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
		hd.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		hd.Set("X-RateLimit-Reset", ts(reset))
		if !ok {
			writeError(w, http.StatusTooManyRequests, "Too many requests")
			return
		}
		h.ServeHTTP(w, r)
	})
}
