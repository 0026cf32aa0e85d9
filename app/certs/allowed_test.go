package certs

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAllowCache(t *testing.T) {
	t.Parallel()
	calls := map[string]int{}
	var fail bool
	c := newAllowCache(func(_ context.Context, name string) (bool, error) {
		calls[name]++
		if fail {
			return false, errors.New("database down")
		}
		return name == "ours.test", nil
	}, 0, 0)
	now := time.Unix(1_000_000, 0)
	c.now = func() time.Time { return now }
	ctx := context.Background()

	for range 3 {
		if err := c.decide(ctx, "ours.test"); err != nil {
			t.Fatalf("ours.test refused: %v", err)
		}
		if err := c.decide(ctx, "scanner.test"); !errors.Is(err, errNotAllowed) {
			t.Fatalf("scanner.test: %v, want errNotAllowed", err)
		}
	}
	if calls["ours.test"] != 1 || calls["scanner.test"] != 1 {
		t.Errorf("Allowed called %v, want once per name", calls)
	}

	// The refusal expires after 10 s, the approval after a minute.
	now = now.Add(11 * time.Second)
	c.decide(ctx, "ours.test")
	c.decide(ctx, "scanner.test")
	if calls["ours.test"] != 1 || calls["scanner.test"] != 2 {
		t.Errorf("after 11 s Allowed called %v, want ours.test 1, scanner.test 2", calls)
	}
	now = now.Add(time.Minute)
	c.decide(ctx, "ours.test")
	if calls["ours.test"] != 2 {
		t.Errorf("after a minute ours.test asked %d times, want 2", calls["ours.test"])
	}

	// Errors refuse and are not remembered.
	fail = true
	if err := c.decide(ctx, "new.test"); err == nil {
		t.Error("an Allowed error allowed the name")
	}
	fail = false
	c.decide(ctx, "new.test")
	if calls["new.test"] != 2 {
		t.Errorf("new.test asked %d times, want 2 (errors are not cached)", calls["new.test"])
	}
}

func TestAllowCacheNilRefuses(t *testing.T) {
	t.Parallel()
	c := newAllowCache(nil, 0, 0)
	if err := c.decide(context.Background(), "a.test"); err == nil {
		t.Error("no Allowed function allowed a name")
	}
}
