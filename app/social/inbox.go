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

// Inbox message states.
const (
	InboxReceived  = "received"
	InboxProcessed = "processed"
	InboxErrored   = "errored"
)

// errBadActivity marks an activity that can never be processed (it names
// things that do not fit together); retrying would not help.
var errBadActivity = errors.New("unusable activity")

func badActivity(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadActivity, fmt.Sprintf(format, args...))
}

func (in *Instance) inboxGraph() *stator.Graph {
	g := stator.NewGraph("inbox", "inbox_messages")
	g.State(InboxReceived).
		Retry(stator.Backoff{Base: 30 * time.Second, Max: time.Hour, Jitter: 0.2}).
		TimesOutTo(InboxErrored, 24*time.Hour).
		Handle(in.processInbox, InboxProcessed, InboxErrored)
	g.State(InboxProcessed).DeleteAfter(3 * 24 * time.Hour)
	g.State(InboxErrored).DeleteAfter(7 * 24 * time.Hour)
	return g
}

// processInbox applies one received activity. What it did is kept on the
// row (result) for operators; an activity that cannot be applied ends in
// errored, one that failed for a passing reason (a fetch) is retried.
func (in *Instance) processInbox(ctx context.Context, it stator.Item) (string, error) {
	m, err := store.InboxMessageByID(ctx, in.DB, it.ID)
	if err != nil {
		return "", err
	}
	// One actor's activities are applied in the order they arrived: a
	// Follow and its Undo, a Block and its Undo, must not swap places.
	if earlier, err := store.EarlierInboxMessage(ctx, in.DB, m.ActorURI, m.ID); err != nil {
		return "", err
	} else if earlier {
		return "", stator.Defer(100 * time.Millisecond)
	}
	activity, err := ap.Decode(m.Body)
	if err != nil {
		store.SetInboxResult(ctx, in.DB, it.ID, "not JSON")
		return InboxErrored, nil
	}
	actor, err := in.IdentityForURI(ctx, m.ActorURI)
	if err != nil {
		return "", fmt.Errorf("actor %s: %w", m.ActorURI, err)
	}
	if actor == nil || actor.Local {
		store.SetInboxResult(ctx, in.DB, it.ID, "actor unknown or local")
		return InboxErrored, nil
	}
	if actor.Deleted != nil {
		// Late or replayed activities of an actor that deleted itself must
		// not bring back its profile or its follows.
		store.SetInboxResult(ctx, in.DB, it.ID, "ignored: the actor was deleted")
		return InboxProcessed, nil
	}
	result, err := in.apply(ctx, actor, activity)
	if errors.Is(err, errBadActivity) {
		store.SetInboxResult(ctx, in.DB, it.ID, err.Error())
		return InboxErrored, nil
	}
	if err != nil {
		return "", err
	}
	store.SetInboxResult(ctx, in.DB, it.ID, result)
	return InboxProcessed, nil
}

// apply dispatches on the activity's type.
func (in *Instance) apply(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	switch a.Type() {
	case "Follow":
		return in.receiveFollow(ctx, actor, a)
	case "Accept", "Reject":
		return in.receiveResponse(ctx, actor, a)
	case "Undo":
		return in.receiveUndo(ctx, actor, a)
	case "Block":
		return in.receiveBlock(ctx, actor, a)
	case "Create":
		return in.receiveCreate(ctx, actor, a)
	case "Update":
		return in.receiveUpdate(ctx, actor, a)
	case "Delete":
		return in.receiveDelete(ctx, actor, a)
	case "Move":
		return in.receiveMove(ctx, actor, a)
	case "Like", "EmojiReact":
		return in.receiveLike(ctx, actor, a)
	case "Announce":
		return in.receiveAnnounce(ctx, actor, a)
	case "Add", "Remove":
		return in.receiveFeatured(ctx, actor, a)
	case "Flag":
		return in.receiveFlag(ctx, actor, a)
	case "QuoteRequest":
		return in.receiveQuoteRequest(ctx, actor, a)
	default:
		return "ignored: type " + a.Type() + " is not handled", nil
	}
}

// localTarget resolves the object of an activity to one of our identities.
func (in *Instance) localTarget(ctx context.Context, a ap.Object) (*model.Identity, error) {
	uri := a.Ref("object")
	if uri == "" {
		return nil, badActivity("no object")
	}
	i, err := store.IdentityByURI(ctx, in.DB, uri)
	if err != nil {
		return nil, err
	}
	if i == nil || !i.Local || i.Deleted != nil {
		return nil, nil
	}
	return i, nil
}

func (in *Instance) receiveFollow(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	target, err := in.localTarget(ctx, a)
	if err != nil || target == nil {
		return "ignored: not a follow of an identity here", err
	}
	uri := a.ID()
	if uri == "" {
		return "", badActivity("Follow without an id")
	}
	blocked, err := store.BlockedEitherWay(ctx, in.DB, actor.ID, target.ID)
	if err != nil {
		return "", err
	}
	existing, err := store.FollowBetween(ctx, in.DB, actor.ID, target.ID)
	if err != nil {
		return "", err
	}
	state := FollowAccepting
	switch {
	case blocked:
		state = FollowRejecting
	case target.Locked && (existing == nil || existing.State != FollowAccepted):
		// An accepted follower asking again stays accepted: the request
		// is answered again, not put back in the queue.
		state = FollowPendingApproval
	}
	if existing != nil {
		if existing.URI != uri {
			// A new Follow activity for an existing follow: remember its id,
			// which the Accept must quote.
			if _, err := in.DB.Exec(ctx, "UPDATE follows SET uri = $2 WHERE id = $1", existing.ID, uri); err != nil {
				return "", err
			}
		}
		if state == FollowPendingApproval {
			if err := in.notifyLocal(ctx, in.DB, target.ID, store.NotifyFollowRequest, 0, actor.ID); err != nil {
				return "", err
			}
		}
		switch existing.State {
		case FollowAccepted, FollowRemoved, FollowRejecting, FollowUndoing:
			// Re-send our answer (the follower may have missed it), or
			// start over after an unfollow.
			if _, err := in.graphs().follows.Move(ctx, in.DB, int64(existing.ID), state); err != nil {
				return "", err
			}
		}
		return "follow " + existing.State + " -> " + state, nil
	}
	f := &model.Follow{SourceID: actor.ID, TargetID: target.ID, URI: uri, Boosts: true}
	if _, _, err := store.CreateFollow(ctx, in.DB, f, state); err != nil {
		return "", err
	}
	if state == FollowPendingApproval {
		if err := in.notifyLocal(ctx, in.DB, target.ID, store.NotifyFollowRequest, 0, actor.ID); err != nil {
			return "", err
		}
	}
	return "follow " + state, nil
}

// followOf finds the follow an Accept, Reject or Undo refers to: by the
// Follow activity's id, or by its actor and object when the id is unknown
// (some servers send their own ids).
func (in *Instance) followOf(ctx context.Context, follow ap.Object, ref string) (*model.Follow, error) {
	if ref != "" {
		if f, err := store.FollowByURI(ctx, in.DB, ref); err != nil || f != nil {
			return f, err
		}
	}
	if follow == nil {
		return nil, nil
	}
	source, err := store.IdentityByURI(ctx, in.DB, follow.Ref("actor"))
	if err != nil || source == nil {
		return nil, err
	}
	target, err := store.IdentityByURI(ctx, in.DB, follow.Ref("object"))
	if err != nil || target == nil {
		return nil, err
	}
	return store.FollowBetween(ctx, in.DB, source.ID, target.ID)
}

// receiveResponse applies an Accept or Reject of one of our follows: only
// the followed actor may answer it.
func (in *Instance) receiveResponse(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	if result, ok, err := in.receiveQuoteResponse(ctx, actor, a); ok || err != nil {
		return result, err
	}
	embedded := a.Embedded("object")
	if embedded != nil && embedded.Type() != "Follow" {
		return "ignored: " + a.Type() + " of " + embedded.Type(), nil
	}
	f, err := in.followOf(ctx, embedded, a.Ref("object"))
	if err != nil {
		return "", err
	}
	if f == nil {
		return "ignored: unknown follow", nil
	}
	if f.TargetID != actor.ID {
		return "", badActivity("%s answered a follow of someone else", actor.URI)
	}
	next := FollowRemoved
	if a.Type() == "Accept" {
		if f.State != FollowRequested && f.State != FollowUnrequested {
			return "follow already " + f.State, nil
		}
		next = FollowAccepted
	}
	if _, err := in.graphs().follows.Move(ctx, in.DB, int64(f.ID), next); err != nil {
		return "", err
	}
	return "follow " + next, nil
}

func (in *Instance) receiveUndo(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	inner := a.Embedded("object")
	ref := a.Ref("object")
	kind := ""
	if inner != nil {
		kind = inner.Type()
		if inner.Ref("actor") != "" && inner.Ref("actor") != actor.URI {
			return "", badActivity("%s undid an activity of %s", actor.URI, inner.Ref("actor"))
		}
	}
	if kind == "" || interactionKinds[kind] != "" {
		if result, ok, err := in.receiveUndoInteraction(ctx, actor, inner, ref); err != nil || ok {
			return result, err
		}
	}
	if kind == "" || kind == "Follow" {
		f, err := in.followOf(ctx, inner, ref)
		if err != nil {
			return "", err
		}
		if f != nil {
			if f.SourceID != actor.ID {
				return "", badActivity("%s undid someone else's follow", actor.URI)
			}
			if _, err := in.graphs().follows.Move(ctx, in.DB, int64(f.ID), FollowRemoved); err != nil {
				return "", err
			}
			return "follow removed", nil
		}
	}
	if kind == "" || kind == "Block" {
		b, err := store.BlockByURI(ctx, in.DB, ref)
		if err != nil {
			return "", err
		}
		if b == nil && inner != nil {
			if target, err := store.IdentityByURI(ctx, in.DB, inner.Ref("object")); err == nil && target != nil {
				b, err = store.BlockBetween(ctx, in.DB, actor.ID, target.ID, false)
				if err != nil {
					return "", err
				}
			}
		}
		if b != nil {
			if b.SourceID != actor.ID {
				return "", badActivity("%s undid someone else's block", actor.URI)
			}
			if _, err := in.graphs().blocks.Move(ctx, in.DB, int64(b.ID), BlockRemoved); err != nil {
				return "", err
			}
			return "block removed", nil
		}
	}
	return "ignored: undo of " + kind + " not handled", nil
}

// receiveBlock records a remote identity blocking one of ours and ends the
// follows between them, silently: the blocker's server knows.
func (in *Instance) receiveBlock(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	target, err := in.localTarget(ctx, a)
	if err != nil || target == nil {
		return "ignored: not a block of an identity here", err
	}
	uri := a.ID()
	if uri == "" {
		uri = fmt.Sprintf("%s#blocks/%d", actor.URI, target.ID)
	}
	b, created, err := store.CreateBlock(ctx, in.DB, &model.Block{SourceID: actor.ID, TargetID: target.ID, URI: uri}, BlockReceived)
	if err != nil {
		return "", err
	}
	if !created && b.State != BlockReceived {
		if _, err := in.DB.Exec(ctx, "UPDATE blocks SET uri = $2 WHERE id = $1", b.ID, uri); err != nil {
			return "", err
		}
		if _, err := in.graphs().blocks.Move(ctx, in.DB, int64(b.ID), BlockReceived); err != nil {
			return "", err
		}
	}
	for _, pair := range [][2]model.ID{{actor.ID, target.ID}, {target.ID, actor.ID}} {
		if f, err := store.FollowBetween(ctx, in.DB, pair[0], pair[1]); err != nil {
			return "", err
		} else if f != nil {
			if _, err := in.graphs().follows.Move(ctx, in.DB, int64(f.ID), FollowRemoved); err != nil {
				return "", err
			}
		}
	}
	return "blocked", nil
}

// receiveUpdate applies a profile update an actor sent about itself.
func (in *Instance) receiveUpdate(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	obj := a.Embedded("object")
	if obj != nil && ap.PostTypes[obj.Type()] {
		return in.receivePostUpdate(ctx, actor, obj)
	}
	if obj == nil || !ap.ActorTypes[obj.Type()] {
		return "ignored: update of something other than an actor or a post", nil
	}
	if obj.ID() != actor.URI {
		return "", badActivity("%s updated another actor", actor.URI)
	}
	i, err := ap.ParseActor(obj, actor.URI)
	if err != nil {
		return "", badActivity("%v", err)
	}
	// The handle stays as webfinger confirmed it; a changed username is
	// taken from the document.
	i.ID, i.Domain = actor.ID, actor.Domain
	if i.PublicKey == "" {
		i.PublicKeyID, i.PublicKey = actor.PublicKeyID, actor.PublicKey
	}
	if err := store.SaveRemoteIdentity(ctx, in.DB, i, in.IdentityRefresh); err != nil {
		return "", err
	}
	if err := queueProfileMedia(ctx, in.DB, i); err != nil {
		return "", err
	}
	return "profile updated", nil
}

// receiveDelete handles an actor deleting itself (its profile is wiped and
// every follow and block with it ends) or one of its posts.
func (in *Instance) receiveDelete(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	if a.Ref("object") != actor.URI {
		return in.receivePostDelete(ctx, actor, a.Ref("object"))
	}
	// One transaction: the profile is never seen wiped with its follows
	// still standing, and a failure leaves nothing half done.
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE identities SET deleted = now(), name = '', summary = '', fields = '[]',
			icon_uri = '', image_uri = '', state = 'gone', state_changed = now(), state_next_attempt = NULL, state_locked_until = NULL
			WHERE id = $1`, actor.ID); err != nil {
			return err
		}
		for _, table := range []string{"follows", "blocks"} {
			// Straight to removed, without deliveries: the other side is gone.
			if _, err := tx.Exec(ctx, `UPDATE `+table+` SET state = 'removed', state_changed = now(), state_locked_until = NULL,
				state_next_attempt = now() + interval '1 minute' WHERE (source_id = $1 OR target_id = $1) AND state <> 'removed'`, actor.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return "actor deleted", nil
}

// receiveMove records that an actor moved to another; following it to its
// new home comes with account migration.
func (in *Instance) receiveMove(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	target := a.Ref("target")
	if a.Ref("object") != actor.URI || target == "" {
		return "", badActivity("a Move must move its own actor somewhere")
	}
	if _, err := in.DB.Exec(ctx, "UPDATE identities SET moved_to = $2, updated = now() WHERE id = $1", actor.ID, target); err != nil {
		return "", err
	}
	return "move recorded", nil
}
