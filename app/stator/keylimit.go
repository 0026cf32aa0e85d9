package stator

import "sync"

// KeyLimiter bounds how many handlers work on the same key at once, for
// example deliveries to one remote host. A handler that finds the key busy
// returns Defer so its worker slot goes to other rows meanwhile.
type KeyLimiter struct {
	max  int
	mu   sync.Mutex
	busy map[string]int
}

// NewKeyLimiter allows max concurrent holders per key.
func NewKeyLimiter(max int) *KeyLimiter {
	return &KeyLimiter{max: max, busy: map[string]int{}}
}

// TryAcquire takes a slot for key if one is free; call release when done.
func (l *KeyLimiter) TryAcquire(key string) (release func(), ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.busy[key] >= l.max {
		return nil, false
	}
	l.busy[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.busy[key]--; l.busy[key] <= 0 {
				delete(l.busy, key)
			}
		})
	}, true
}

// InUse returns how many slots of key are taken.
func (l *KeyLimiter) InUse(key string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.busy[key]
}
