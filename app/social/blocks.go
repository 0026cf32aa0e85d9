package social

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Block and mute states.
const (
	BlockNew      = "new"      // ours: end follows, tell the target's server
	BlockSent     = "sent"     // ours, in force
	BlockReceived = "received" // another server's identity blocks one of ours
	BlockUndoing  = "undoing"  // ours, lifted: Undo to send
	BlockRemoved  = "removed"
	MuteActive    = "muted" // local only, never sent; expires if it has an expiry
)

func (in *Instance) blockGraph() *stator.Graph {
	g := stator.NewGraph("blocks", "blocks")
	retry := stator.Backoff{Base: 10 * time.Second, Max: time.Hour, Jitter: 0.2}
	g.State(BlockNew).Retry(retry).TimesOutTo(BlockSent, 24*time.Hour).Handle(in.applyBlock, BlockSent)
	g.State(BlockSent)
	g.State(BlockReceived)
	g.State(BlockUndoing).Retry(retry).TimesOutTo(BlockRemoved, 24*time.Hour).Handle(in.undoBlock, BlockRemoved)
	g.State(BlockRemoved).DeleteAfter(time.Minute)
	g.State(MuteActive).Handle(in.expireMute, BlockRemoved)
	return g
}

func (in *Instance) blockParties(ctx context.Context, it stator.Item) (*model.Block, *model.Identity, *model.Identity, error) {
	id := it.ID
	b, err := store.BlockByID(ctx, in.DB, model.ID(id))
	if err != nil || b == nil {
		return nil, nil, nil, errors.Join(err, fmt.Errorf("block %d is gone", id))
	}
	if b.State != it.State {
		return nil, nil, nil, errMoved
	}
	source, err := store.IdentityByID(ctx, in.DB, b.SourceID)
	if err != nil {
		return nil, nil, nil, err
	}
	target, err := store.IdentityByID(ctx, in.DB, b.TargetID)
	if err != nil || source == nil || target == nil {
		return nil, nil, nil, errors.Join(err, fmt.Errorf("block %d: an identity is gone", id))
	}
	return b, source, target, nil
}

// applyBlock ends follows both ways and tells a remote target's server.
func (in *Instance) applyBlock(ctx context.Context, it stator.Item) (string, error) {
	b, source, target, err := in.blockParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if err := in.endFollows(ctx, source, target); err != nil {
		return "", err
	}
	if !target.Local {
		if err := in.deliver(ctx, in.DB, source, target, blockActivity(b, source, target)); err != nil {
			return "", err
		}
	}
	return BlockSent, nil
}

func blockActivity(b *model.Block, source, target *model.Identity) map[string]any {
	a := ap.NewActivity("Block", b.URI, source.URI, target.URI)
	a["to"] = []string{target.URI}
	return a
}

func (in *Instance) undoBlock(ctx context.Context, it stator.Item) (string, error) {
	b, source, target, err := in.blockParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if source.Local && !target.Local {
		undoID := fmt.Sprintf("%s/undo/%d", b.URI, model.NewID())
		if err := in.deliver(ctx, in.DB, source, target, ap.Undo(undoID, source.URI, blockActivity(b, source, target))); err != nil {
			return "", err
		}
	}
	return BlockRemoved, nil
}

// expireMute lifts a mute when its time has come.
func (in *Instance) expireMute(ctx context.Context, it stator.Item) (string, error) {
	expires, err := store.MuteExpires(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if expires == nil {
		return "", stator.Defer(365 * 24 * time.Hour) // never: look again in a year
	}
	if wait := time.Until(*expires); wait > 0 {
		return "", stator.Defer(wait)
	}
	return BlockRemoved, nil
}

// endFollows ends the follows between a and b in both directions, telling
// remote servers where they need to know.
func (in *Instance) endFollows(ctx context.Context, a, b *model.Identity) error {
	for _, pair := range [][2]*model.Identity{{a, b}, {b, a}} {
		f, err := store.FollowBetween(ctx, in.DB, pair[0].ID, pair[1].ID)
		if err != nil {
			return err
		}
		if f == nil || f.State == FollowRemoved || f.State == FollowUndoing || f.State == FollowRejecting {
			continue
		}
		next := FollowRemoved
		switch {
		case pair[0].Local && !pair[1].Local && f.State != FollowUnrequested:
			next = FollowUndoing // we followed them: tell them we stopped
		case !pair[0].Local && pair[1].Local:
			next = FollowRejecting // they followed us: tell them it ended
		}
		if _, err := in.graphs().follows.Move(ctx, in.DB, int64(f.ID), next); err != nil {
			return err
		}
	}
	return nil
}

// Block makes source (ours) block target.
func (in *Instance) Block(ctx context.Context, source, target *model.Identity) (*model.Block, error) {
	b := &model.Block{ID: model.NewID(), SourceID: source.ID, TargetID: target.ID}
	b.URI = fmt.Sprintf("%s#blocks/%d", source.URI, b.ID)
	got, created, err := store.CreateBlock(ctx, in.DB, b, BlockNew)
	if err != nil || created {
		return got, err
	}
	if got.State == BlockRemoved || got.State == BlockUndoing {
		// Blocking again is a new Block activity, with its own id.
		got.URI = fmt.Sprintf("%s#blocks/%d", source.URI, model.NewID())
		if _, err = in.DB.Exec(ctx, "UPDATE blocks SET uri = $2 WHERE id = $1", got.ID, got.URI); err != nil {
			return nil, err
		}
		_, err = in.graphs().blocks.Move(ctx, in.DB, int64(got.ID), BlockNew)
	}
	return got, err
}

// Unblock lifts source's block of target.
func (in *Instance) Unblock(ctx context.Context, source, target *model.Identity) error {
	b, err := store.BlockBetween(ctx, in.DB, source.ID, target.ID, false)
	if err != nil || b == nil || b.State == BlockUndoing || b.State == BlockRemoved {
		return err
	}
	_, err = in.graphs().blocks.Move(ctx, in.DB, int64(b.ID), BlockUndoing)
	return err
}

// Mute hides target from source here; never sent anywhere. A zero duration
// mutes until unmuted.
func (in *Instance) Mute(ctx context.Context, source, target *model.Identity, notifications bool, d time.Duration) (*model.Block, error) {
	b := &model.Block{ID: model.NewID(), SourceID: source.ID, TargetID: target.ID, Mute: true, Notifications: notifications}
	b.URI = fmt.Sprintf("%s#mutes/%d", source.URI, b.ID)
	if d > 0 {
		t := time.Now().Add(d)
		b.Expires = &t
	}
	got, created, err := store.CreateBlock(ctx, in.DB, b, MuteActive)
	if err != nil || created {
		return got, err
	}
	_, err = in.DB.Exec(ctx, "UPDATE blocks SET notifications = $2, expires = $3 WHERE id = $1", got.ID, notifications, b.Expires)
	if err == nil {
		// Moving (even to the same state) reschedules the expiry check.
		_, err = in.graphs().blocks.Move(ctx, in.DB, int64(got.ID), MuteActive)
	}
	return got, err
}

// Unmute lifts a mute.
func (in *Instance) Unmute(ctx context.Context, source, target *model.Identity) error {
	b, err := store.BlockBetween(ctx, in.DB, source.ID, target.ID, true)
	if err != nil || b == nil || b.State == BlockRemoved {
		return err
	}
	_, err = in.graphs().blocks.Move(ctx, in.DB, int64(b.ID), BlockRemoved)
	return err
}
