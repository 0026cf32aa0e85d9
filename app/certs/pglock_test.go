package certs

import (
	"context"
	"errors"
	"testing"
	"time"

	"pukeko/app/testkit"
)

// lockAsync runs s.Lock(ctx, name) in the background; the channel gets its
// result.
func lockAsync(ctx context.Context, s *pgStorage, name string) <-chan error {
	done := make(chan error, 1)
	go func() { done <- s.Lock(ctx, name) }()
	return done
}

func TestLockExclusive(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	node1, node2 := newPGStorage(db), newPGStorage(db)
	node2.lockPoll = 20 * time.Millisecond

	if err := node1.Lock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
	waiting := lockAsync(ctx, node2, "issue_cert_x")
	select {
	case err := <-waiting:
		t.Fatalf("second Lock returned %v while the lock was held", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := node1.Unlock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-waiting:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("second Lock still blocked after Unlock")
	}
	if err := node2.Unlock(ctx, "issue_cert_x"); err != nil {
		t.Fatal(err)
	}
	var rows int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM certmagic_locks").Scan(&rows); err != nil || rows != 0 {
		t.Errorf("%d lock rows left (%v), want 0", rows, err)
	}
}

func TestLockHonoursContext(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	node1, node2 := newPGStorage(db), newPGStorage(db)
	node2.lockPoll = 20 * time.Millisecond
	if err := node1.Lock(context.Background(), "n"); err != nil {
		t.Fatal(err)
	}
	defer node1.Unlock(context.Background(), "n")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := node2.Lock(ctx, "n"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Lock on a held lock returned %v, want a deadline error", err)
	}
}

// A held lock outlives its TTL because its holder refreshes it.
func TestLockRefreshed(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	node1, node2 := newPGStorage(db), newPGStorage(db)
	node1.lockTTL = 300 * time.Millisecond
	node2.lockPoll = 20 * time.Millisecond
	if err := node1.Lock(context.Background(), "n"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * node1.lockTTL)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := node2.Lock(ctx, "n"); err == nil {
		t.Fatal("a refreshed lock was taken over")
	}
	if err := node1.Unlock(context.Background(), "n"); err != nil {
		t.Errorf("Unlock of a refreshed lock: %v", err)
	}
}

// The lock of a node that stopped refreshing it (crashed, stalled) expires
// and is taken over; the old holder's Unlock then leaves the new one alone.
func TestLockExpiredTakenOver(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	node1, node2 := newPGStorage(db), newPGStorage(db)
	node2.lockPoll = 20 * time.Millisecond

	// A crashed node's leftover.
	if _, err := db.Exec(ctx, "INSERT INTO certmagic_locks (name, expires) VALUES ('crashed', now() - interval '1 second')"); err != nil {
		t.Fatal(err)
	}
	quick, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := node2.Lock(quick, "crashed"); err != nil {
		t.Fatalf("expired lock not taken over: %v", err)
	}
	if err := node2.Unlock(ctx, "crashed"); err != nil {
		t.Fatal(err)
	}

	// A stalled holder: its lock expires under it.
	if err := node1.Lock(ctx, "stalled"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "UPDATE certmagic_locks SET expires = now() - interval '1 second' WHERE name = 'stalled'"); err != nil {
		t.Fatal(err)
	}
	if err := node2.Lock(quick, "stalled"); err != nil {
		t.Fatalf("expired lock not taken over: %v", err)
	}
	if err := node1.Unlock(ctx, "stalled"); err == nil {
		t.Error("Unlock of a lock taken over succeeded")
	}
	var rows int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM certmagic_locks WHERE name = 'stalled'").Scan(&rows); err != nil || rows != 1 {
		t.Errorf("the new holder's lock row count is %d (%v), want 1", rows, err)
	}
	if err := node2.Unlock(ctx, "stalled"); err != nil {
		t.Error(err)
	}
}

func TestTryLock(t *testing.T) {
	t.Parallel()
	db := testkit.DB(t)
	ctx := context.Background()
	node1, node2 := newPGStorage(db), newPGStorage(db)
	if ok, err := node1.TryLock(ctx, "ari_x"); !ok || err != nil {
		t.Fatalf("TryLock of a free lock = %v, %v", ok, err)
	}
	if ok, err := node2.TryLock(ctx, "ari_x"); ok || err != nil {
		t.Errorf("TryLock of a held lock = %v, %v; want false, nil", ok, err)
	}
	// Closing a node releases what it still holds.
	node1.releaseAll(ctx)
	if ok, err := node2.TryLock(ctx, "ari_x"); !ok || err != nil {
		t.Errorf("TryLock after releaseAll = %v, %v; want true", ok, err)
	}
	node2.Unlock(ctx, "ari_x")
}
