package social

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Follow states. A follow by one of ours starts unrequested; one received
// from another server starts pending_approval (locked target) or accepting.
const (
	FollowUnrequested     = "unrequested"      // ours, not yet sent or decided
	FollowRequested       = "requested"        // Follow sent, waiting for Accept or Reject
	FollowPendingApproval = "pending_approval" // a follow request for a locked local account
	FollowAccepting       = "accepting"        // approved: Accept to send (remote follower)
	FollowAccepted        = "accepted"
	FollowRejecting       = "rejecting" // refused or removed: Reject to send (remote follower)
	FollowUndoing         = "undoing"   // unfollowed: Undo to send (remote target)
	FollowRemoved         = "removed"
)

// followGraph declares the follow state machine.
func (in *Instance) followGraph() *stator.Graph {
	g := stator.NewGraph("follows", "follows")
	retry := stator.Backoff{Base: 10 * time.Second, Max: time.Hour, Jitter: 0.2}
	g.State(FollowUnrequested).Retry(retry).TimesOutTo(FollowRemoved, 24*time.Hour).
		Handle(in.requestFollow, FollowRequested, FollowPendingApproval, FollowAccepted, FollowRemoved)
	g.State(FollowRequested)
	g.State(FollowPendingApproval)
	g.State(FollowAccepting).Retry(retry).TimesOutTo(FollowAccepted, 24*time.Hour).
		Handle(in.acceptFollow, FollowAccepted)
	g.State(FollowAccepted)
	g.State(FollowRejecting).Retry(retry).TimesOutTo(FollowRemoved, 24*time.Hour).
		Handle(in.rejectFollow, FollowRemoved)
	g.State(FollowUndoing).Retry(retry).TimesOutTo(FollowRemoved, 24*time.Hour).
		Handle(in.undoFollow, FollowRemoved)
	g.State(FollowRemoved).DeleteAfter(time.Minute)
	return g
}

// errMoved means the row left the state it was claimed in (Graph.Move
// from a behaviour): the claim's handler must do nothing, and its outcome
// is dropped by the engine.
var errMoved = errors.New("moved since claimed")

// followParties loads a follow in state and both identities.
func (in *Instance) followParties(ctx context.Context, it stator.Item) (*model.Follow, *model.Identity, *model.Identity, error) {
	id := it.ID
	f, err := store.FollowByID(ctx, in.DB, model.ID(id))
	if err != nil || f == nil {
		return nil, nil, nil, errors.Join(err, fmt.Errorf("follow %d is gone", id))
	}
	if f.State != it.State {
		return nil, nil, nil, errMoved
	}
	source, err := store.IdentityByID(ctx, in.DB, f.SourceID)
	if err != nil {
		return nil, nil, nil, err
	}
	target, err := store.IdentityByID(ctx, in.DB, f.TargetID)
	if err != nil {
		return nil, nil, nil, err
	}
	if source == nil || target == nil {
		return nil, nil, nil, fmt.Errorf("follow %d: an identity is gone", id)
	}
	return f, source, target, nil
}

func (in *Instance) requestFollow(ctx context.Context, it stator.Item) (string, error) {
	f, source, target, err := in.followParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if target.Local {
		next, typ := FollowAccepted, store.NotifyFollow
		if target.Locked {
			next, typ = FollowPendingApproval, store.NotifyFollowRequest
		}
		if err := in.notifyLocal(ctx, in.DB, target.ID, typ, 0, source.ID); err != nil {
			return "", err
		}
		return next, nil
	}
	if err := in.deliver(ctx, in.DB, source, target, ap.Follow(f.URI, source.URI, target.URI)); err != nil {
		return "", err
	}
	return FollowRequested, nil
}

func (in *Instance) acceptFollow(ctx context.Context, it stator.Item) (string, error) {
	f, source, target, err := in.followParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if !source.Local {
		// A fresh id each time: a repeated answer (the follower asked
		// again) must not be taken for a duplicate delivery.
		accept := ap.Respond("Accept", fmt.Sprintf("%s#accepts/follows/%d/%d", target.URI, f.ID, model.NewID()), target.URI,
			ap.Follow(f.URI, source.URI, target.URI))
		if err := in.deliver(ctx, in.DB, target, source, accept); err != nil {
			return "", err
		}
	}
	if target.Local {
		// The request, if there was one, is answered.
		if err := store.RemoveNotification(ctx, in.DB, target.ID, store.NotifyFollowRequest, 0, source.ID); err != nil {
			return "", err
		}
		if err := in.notifyLocal(ctx, in.DB, target.ID, store.NotifyFollow, 0, source.ID); err != nil {
			return "", err
		}
	}
	return FollowAccepted, nil
}

func (in *Instance) rejectFollow(ctx context.Context, it stator.Item) (string, error) {
	f, source, target, err := in.followParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if !source.Local && target.Local {
		reject := ap.Respond("Reject", fmt.Sprintf("%s#rejects/follows/%d/%d", target.URI, f.ID, model.NewID()), target.URI,
			ap.Follow(f.URI, source.URI, target.URI))
		if err := in.deliver(ctx, in.DB, target, source, reject); err != nil {
			return "", err
		}
	}
	return FollowRemoved, nil
}

func (in *Instance) undoFollow(ctx context.Context, it stator.Item) (string, error) {
	f, source, target, err := in.followParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if source.Local && !target.Local {
		undo := ap.Undo(fmt.Sprintf("%s/undo/%d", f.URI, model.NewID()), source.URI, ap.Follow(f.URI, source.URI, target.URI))
		if err := in.deliver(ctx, in.DB, source, target, undo); err != nil {
			return "", err
		}
	}
	return FollowRemoved, nil
}

// ErrBlocked means a block between the two identities forbids the action.
var ErrBlocked = errors.New("blocked")

// Follow makes source (ours) follow target. Following again while a
// request is pending or accepted changes nothing; after an unfollow a new
// request starts.
func (in *Instance) Follow(ctx context.Context, source, target *model.Identity) (*model.Follow, error) {
	if !source.Local {
		return nil, errors.New("only local identities follow from here")
	}
	if source.ID == target.ID {
		return nil, errors.New("an identity cannot follow itself")
	}
	if target.Deleted != nil {
		return nil, errors.New("that account was deleted")
	}
	if blocked, err := store.BlockedEitherWay(ctx, in.DB, source.ID, target.ID); err != nil || blocked {
		return nil, errors.Join(err, ErrBlocked)
	}
	var out *model.Follow
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if old, err := store.FollowBetween(ctx, tx, source.ID, target.ID); err != nil {
			return err
		} else if old != nil && (old.State == FollowRemoved || old.State == FollowUndoing || old.State == FollowRejecting) {
			// Following again after an unfollow (even one whose Undo is still
			// being delivered), or after being removed as a follower (the
			// Reject of a local follower tells nobody), starts a new request
			// with a new Follow.
			if _, err := tx.Exec(ctx, "DELETE FROM follows WHERE id = $1", old.ID); err != nil {
				return err
			}
		}
		f := &model.Follow{ID: model.NewID(), SourceID: source.ID, TargetID: target.ID, Boosts: true}
		f.URI = fmt.Sprintf("%s#follows/%d", source.URI, f.ID)
		got, _, err := store.CreateFollow(ctx, tx, f, FollowUnrequested)
		out = got
		return err
	})
	return out, err
}

// Unfollow ends source's follow (or follow request) of target.
func (in *Instance) Unfollow(ctx context.Context, source, target *model.Identity) error {
	f, err := store.FollowBetween(ctx, in.DB, source.ID, target.ID)
	if err != nil || f == nil || f.State == FollowRemoved || f.State == FollowUndoing {
		return err
	}
	next := FollowUndoing
	if target.Local {
		next = FollowRemoved // nothing to tell anyone
	}
	_, err = in.graphs().follows.Move(ctx, in.DB, int64(f.ID), next)
	return err
}

// ApproveFollow accepts a pending follow request to a local identity.
func (in *Instance) ApproveFollow(ctx context.Context, target, source *model.Identity) error {
	return in.decideRequest(ctx, target, source, FollowAccepting)
}

// RejectFollow refuses a pending follow request.
func (in *Instance) RejectFollow(ctx context.Context, target, source *model.Identity) error {
	return in.decideRequest(ctx, target, source, FollowRejecting)
}

func (in *Instance) decideRequest(ctx context.Context, target, source *model.Identity, next string) error {
	f, err := store.FollowBetween(ctx, in.DB, source.ID, target.ID)
	if err != nil {
		return err
	}
	if f == nil || f.State != FollowPendingApproval {
		return fmt.Errorf("no pending follow request from %s", source.URI)
	}
	_, err = in.graphs().follows.Move(ctx, in.DB, int64(f.ID), next)
	return err
}

// RemoveFollower makes source stop following target (ours): the follower is
// told with a Reject.
func (in *Instance) RemoveFollower(ctx context.Context, target, source *model.Identity) error {
	f, err := store.FollowBetween(ctx, in.DB, source.ID, target.ID)
	if err != nil || f == nil || f.State == FollowRemoved || f.State == FollowRejecting {
		return err
	}
	_, err = in.graphs().follows.Move(ctx, in.DB, int64(f.ID), FollowRejecting)
	return err
}

// ignoreMoved turns errMoved into "no outcome": the row belongs to
// whoever moved it now.
func ignoreMoved(err error) error {
	if errors.Is(err, errMoved) {
		return nil
	}
	return err
}
