package certs

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// heldLock is a lock this storage holds: its expiry as last written (which
// doubles as an ownership token, the table having no owner column) and the
// refresher keeping it alive.
type heldLock struct {
	expires time.Time
	stop    context.CancelFunc
	done    chan struct{}
}

// Lock takes the named lock, blocking until it is free, expired, or ctx
// ends. certmagic wraps each issuance and renewal in one, so that of all
// nodes only the lock holder talks to the CA; it re-checks storage after
// getting the lock, so a node that waited finds the certificate there.
//
// A lock row carries an expiry. While held it is refreshed every third of
// lockTTL, so only the lock of a node that died (or lost the database for
// that long) expires and is taken over.
func (s *pgStorage) Lock(ctx context.Context, name string) error {
	for {
		expires, ok, err := s.tryLock(ctx, name)
		if err != nil {
			return err
		}
		if ok {
			s.hold(name, expires)
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("certs: waiting for lock %s: %w", name, ctx.Err())
		case <-time.After(s.lockPoll):
		}
	}
}

// tryLock inserts the lock row, or takes over an expired one, in one
// statement so that two nodes cannot both succeed.
func (s *pgStorage) tryLock(ctx context.Context, name string) (time.Time, bool, error) {
	rows, err := s.db.Query(ctx, `INSERT INTO certmagic_locks (name, expires) VALUES ($1, now() + $2::interval)
		ON CONFLICT (name) DO UPDATE SET expires = EXCLUDED.expires WHERE certmagic_locks.expires < now()
		RETURNING expires`, name, s.lockTTL)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("certs: taking lock %s: %w", name, err)
	}
	defer rows.Close()
	var expires time.Time
	ok := rows.Next()
	if ok {
		if err := rows.Scan(&expires); err != nil {
			return time.Time{}, false, fmt.Errorf("certs: taking lock %s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return time.Time{}, false, fmt.Errorf("certs: taking lock %s: %w", name, err)
	}
	return expires, ok, nil
}

// hold records a taken lock and starts refreshing it.
func (s *pgStorage) hold(name string, expires time.Time) {
	ctx, stop := context.WithCancel(context.Background())
	h := &heldLock{expires: expires, stop: stop, done: make(chan struct{})}
	s.mu.Lock()
	s.locks[name] = h
	s.mu.Unlock()
	go s.refresh(ctx, name, h)
}

// refresh pushes the expiry of a held lock forward until Unlock stops it.
func (s *pgStorage) refresh(ctx context.Context, name string, h *heldLock) {
	defer close(h.done)
	t := time.NewTicker(s.lockTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		old := h.expires
		s.mu.Unlock()
		// Not under ctx: an update cancelled mid-flight could be applied
		// without our learning the new expiry, and Unlock would then take
		// its own lock for someone else's. Unlock waits for this instead.
		uctx, cancel := context.WithTimeout(context.Background(), s.lockTTL/3)
		var expires time.Time
		err := s.db.QueryRow(uctx, `UPDATE certmagic_locks SET expires = now() + $3::interval
			WHERE name = $1 AND expires = $2 RETURNING expires`, name, old, s.lockTTL).Scan(&expires)
		cancel()
		if err != nil {
			// A transient failure is retried at the next tick; a lock taken
			// over stays lost, and Unlock says so.
			continue
		}
		s.mu.Lock()
		h.expires = expires
		s.mu.Unlock()
	}
}

// Unlock releases a lock taken by Lock. It deletes the row only if it is
// still ours: after an expiry, another node may hold the name.
func (s *pgStorage) Unlock(ctx context.Context, name string) error {
	s.mu.Lock()
	h := s.locks[name]
	delete(s.locks, name)
	s.mu.Unlock()
	if h == nil {
		return fmt.Errorf("certs: unlocking %s: not held", name)
	}
	h.stop()
	<-h.done
	tag, err := s.db.Exec(ctx, "DELETE FROM certmagic_locks WHERE name = $1 AND expires = $2", name, h.expires)
	if err != nil {
		return fmt.Errorf("certs: unlocking %s: %w", name, err)
	}
	if tag.RowsAffected() == 0 {
		return errors.New("certs: unlocking " + name + ": the lock expired and was taken over")
	}
	return nil
}

// TryLock takes the named lock if it is free or expired, without waiting.
// certmagic prefers it where a busy lock means the work is being done
// elsewhere (refreshing renewal information).
func (s *pgStorage) TryLock(ctx context.Context, name string) (bool, error) {
	expires, ok, err := s.tryLock(ctx, name)
	if err != nil || !ok {
		return false, err
	}
	s.hold(name, expires)
	return true, nil
}

// releaseAll unlocks every lock still held, when the Manager closes: their
// refreshers would otherwise keep them alive for as long as the process
// lives, blocking every other node.
func (s *pgStorage) releaseAll(ctx context.Context) {
	s.mu.Lock()
	names := make([]string, 0, len(s.locks))
	for name := range s.locks {
		names = append(names, name)
	}
	s.mu.Unlock()
	for _, name := range names {
		s.Unlock(ctx, name)
	}
}
