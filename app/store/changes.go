package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pukeko/app/model"
)

// ChangeChannel is the channel of change notices
// (schema/0025_change_notices.sql).
const ChangeChannel = "pukeko_changes"

// ChangeKind says what a change notice names.
type ChangeKind byte

// The kinds of change notices.
const (
	ChangedReaders    ChangeKind = 'r' // what these readers see changed
	ChangedPosts      ChangeKind = 'p' // these posts changed
	ChangedIdentities ChangeKind = 'i' // these identities changed
	ChangedAll        ChangeKind = '*' // anything may have changed
	ChangeBarrier     ChangeKind = 'b' // a process's own barrier: Token
)

// Change is one change notice.
type Change struct {
	Kind  ChangeKind
	IDs   []model.ID
	Token string // of a barrier
}

// ParseChange decodes a change notice.
func ParseChange(payload string) (Change, error) {
	if payload == "*" {
		return Change{Kind: ChangedAll}, nil
	}
	kind, rest, ok := strings.Cut(payload, ":")
	if !ok || len(kind) != 1 {
		return Change{}, fmt.Errorf("store: change notice %q has no kind", payload)
	}
	c := Change{Kind: ChangeKind(kind[0])}
	switch c.Kind {
	case ChangeBarrier:
		c.Token = rest
		return c, nil
	case ChangedReaders, ChangedPosts, ChangedIdentities:
	default:
		return Change{}, fmt.Errorf("store: change notice %q is of no known kind", payload)
	}
	c.IDs = make([]model.ID, 0, strings.Count(rest, ",")+1)
	for s := range strings.SplitSeq(rest, ",") {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Change{}, fmt.Errorf("store: change notice %q: %w", payload, err)
		}
		c.IDs = append(c.IDs, model.ID(n))
	}
	return c, nil
}

// SendBarrier sends a barrier notice with token. A listener that receives
// it has received every notice of transactions committed before it was
// sent: PostgreSQL delivers notices in commit order.
func SendBarrier(ctx context.Context, db DB, token string) error {
	if _, err := db.Exec(ctx, "SELECT pg_notify($1, $2)", ChangeChannel, "b:"+token); err != nil {
		return fmt.Errorf("store: sending a change barrier: %w", err)
	}
	return nil
}

// NextMuteExpiry returns when the first of reader's timed mutes ends (the
// zero time when none will): what a timeline shows them changes then,
// with no change notice.
func NextMuteExpiry(ctx context.Context, db DB, reader model.ID) (time.Time, error) {
	var t *time.Time
	err := db.QueryRow(ctx, `SELECT min(expires) FROM blocks WHERE source_id = $1 AND expires > now()`, reader).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: mutes of %d: %w", reader, err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}
