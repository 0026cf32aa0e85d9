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

// Interaction states. Ours start new and are sent (fanned_out); undoing
// one sends its Undo (or Remove, for a pin). Received ones just are.
const (
	InteractionNew             = "new"
	InteractionFannedOut       = "fanned_out"
	InteractionUndone          = "undone"
	InteractionUndoneFannedOut = "undone_fanned_out"
	InteractionReceived        = "received"
)

// DefaultMaxPins is the pin limit when Instance.MaxPins is 0.
const DefaultMaxPins = 5

// Errors of interactions.
var (
	ErrTooManyPins = errors.New("too many pinned posts")
	ErrNotPinnable = errors.New("only one's own public, unlisted or followers-only posts can be pinned")
	ErrNotBoosted  = errors.New("only public and unlisted posts can be boosted")
)

func (in *Instance) maxPins() int {
	if in.MaxPins > 0 {
		return in.MaxPins
	}
	return DefaultMaxPins
}

// interactionGraph sends our likes, boosts and pins, and their undoing.
// Failures are database trouble: retried, up to an hour apart.
func (in *Instance) interactionGraph() *stator.Graph {
	g := stator.NewGraph("interactions", "post_interactions")
	retry := stator.Backoff{Base: 5 * time.Second, Max: time.Hour, Jitter: 0.2}
	g.State(InteractionNew).Retry(retry).Handle(in.fanOutInteraction, InteractionFannedOut)
	g.State(InteractionFannedOut)
	g.State(InteractionUndone).Retry(retry).Handle(in.fanOutUndoInteraction, InteractionUndoneFannedOut)
	g.State(InteractionUndoneFannedOut).DeleteAfter(time.Minute)
	g.State(InteractionReceived).Terminal()
	return g
}

// activeState reports whether an interaction in state is in force.
func activeState(state string) bool {
	return state == InteractionNew || state == InteractionFannedOut || state == InteractionReceived
}

// Like makes who (ours) like a post. Liking again changes nothing.
func (in *Instance) Like(ctx context.Context, who *model.Identity, p *model.Post) (*model.Interaction, error) {
	return in.interact(ctx, who, p, model.InteractionLike, "")
}

// Unlike undoes who's like of a post.
func (in *Instance) Unlike(ctx context.Context, who *model.Identity, p *model.Post) error {
	return in.undoInteraction(ctx, who, p, model.InteractionLike)
}

// Boost makes who (ours) boost a public or unlisted post.
func (in *Instance) Boost(ctx context.Context, who *model.Identity, p *model.Post) (*model.Interaction, error) {
	return in.interact(ctx, who, p, model.InteractionBoost, "")
}

// ErrBoostVisibility means a boost was asked for an audience boosts
// cannot have.
var ErrBoostVisibility = errors.New("a boost is public, unlisted or private")

// BoostFor is Boost for an audience of the boost's own (Mastodon's reblog
// visibility): public, unlisted (not in public timelines) or private (the
// booster's followers only). Boosting again keeps the first audience.
func (in *Instance) BoostFor(ctx context.Context, who *model.Identity, p *model.Post, visibility string) (*model.Interaction, error) {
	switch visibility {
	case "", model.VisibilityPublic, model.VisibilityUnlisted, model.VisibilityPrivate:
	default:
		return nil, ErrBoostVisibility
	}
	return in.interact(ctx, who, p, model.InteractionBoost, visibility)
}

// Unboost undoes who's boost of a post.
func (in *Instance) Unboost(ctx context.Context, who *model.Identity, p *model.Post) error {
	return in.undoInteraction(ctx, who, p, model.InteractionBoost)
}

// Pin features one of who's own posts on its profile, up to MaxPins.
func (in *Instance) Pin(ctx context.Context, who *model.Identity, p *model.Post) (*model.Interaction, error) {
	return in.interact(ctx, who, p, model.InteractionPin, "")
}

// Unpin takes a post off who's profile.
func (in *Instance) Unpin(ctx context.Context, who *model.Identity, p *model.Post) error {
	return in.undoInteraction(ctx, who, p, model.InteractionPin)
}

// Bookmark keeps a post in who's bookmarks; nobody else ever knows.
func (in *Instance) Bookmark(ctx context.Context, who *model.Identity, p *model.Post) error {
	if !who.Local || p.Deleted != nil {
		return ErrPostNotFound
	}
	return store.AddBookmark(ctx, in.DB, who.ID, p.ID)
}

// Unbookmark removes a post from who's bookmarks.
func (in *Instance) Unbookmark(ctx context.Context, who *model.Identity, p *model.Post) error {
	return store.RemoveBookmark(ctx, in.DB, who.ID, p.ID)
}

// interact records an interaction of ours with a post and hands its
// sending to the interaction graph. An interaction in force is returned
// as it is; one being undone is replaced by a new one, with a new id.
// visibility is a boost's own audience ("" for the default).
func (in *Instance) interact(ctx context.Context, who *model.Identity, p *model.Post, typ, visibility string) (*model.Interaction, error) {
	if !who.Local || who.Deleted != nil {
		return nil, errors.New("only live local identities interact from here")
	}
	if p == nil || p.Deleted != nil {
		return nil, ErrPostNotFound
	}
	switch typ {
	case model.InteractionBoost:
		if p.Visibility != model.VisibilityPublic && p.Visibility != model.VisibilityUnlisted &&
			!(p.Visibility == model.VisibilityLocal && p.Local) {
			return nil, ErrNotBoosted
		}
	case model.InteractionPin:
		if p.AuthorID != who.ID || p.Visibility == model.VisibilityDirect {
			return nil, ErrNotPinnable
		}
	}
	if p.AuthorID != who.ID {
		if blocked, err := store.BlockedEitherWay(ctx, in.DB, who.ID, p.AuthorID); err != nil || blocked {
			return nil, errors.Join(err, ErrBlocked)
		}
	}
	var out *model.Interaction
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if typ == model.InteractionPin {
			if err := store.LockIdentity(ctx, tx, who.ID); err != nil {
				return err
			}
		}
		old, err := store.InteractionOf(ctx, tx, who.ID, p.ID, typ, "")
		if err != nil {
			return err
		}
		if old != nil && activeState(old.State) {
			out = old
			return nil
		}
		if old != nil {
			// Undone (its Undo maybe still on its way): start over.
			if err := store.DeleteInteraction(ctx, tx, old.ID); err != nil {
				return err
			}
		}
		if typ == model.InteractionPin {
			n, err := store.PinCount(ctx, tx, who.ID)
			if err != nil {
				return err
			}
			if n >= in.maxPins() {
				return fmt.Errorf("%w: at most %d", ErrTooManyPins, in.maxPins())
			}
		}
		it := &model.Interaction{ID: model.NewID(), Type: typ, IdentityID: who.ID, PostID: p.ID, Created: time.Now()}
		it.URI = fmt.Sprintf("%s#%ss/%d", who.URI, typ, it.ID)
		if _, err := store.InsertInteraction(ctx, tx, it, InteractionNew, true); err != nil {
			return err
		}
		if visibility != "" && visibility != model.VisibilityPublic {
			if err := store.SetBoostVisibility(ctx, tx, it.ID, visibility); err != nil {
				return err
			}
		}
		if err := in.interactionChanged(ctx, tx, it, p, true); err != nil {
			return err
		}
		out = it
		return nil
	})
	return out, err
}

// undoInteraction undoes an interaction of ours: it stops counting at
// once, and the graph sends the Undo.
func (in *Instance) undoInteraction(ctx context.Context, who *model.Identity, p *model.Post, typ string) error {
	return pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		it, err := store.InteractionOf(ctx, tx, who.ID, p.ID, typ, "")
		if err != nil || it == nil || !activeState(it.State) {
			return err
		}
		if _, err := in.graphs().interactions.Move(ctx, tx, int64(it.ID), InteractionUndone); err != nil {
			return err
		}
		return in.interactionChanged(ctx, tx, it, p, false)
	})
}

// interactionChanged recounts a post after an interaction came or went,
// and writes or removes the notification of its local author.
func (in *Instance) interactionChanged(ctx context.Context, db store.DB, it *model.Interaction, p *model.Post, added bool) error {
	if err := store.RecountInteractions(ctx, db, p.ID); err != nil {
		return err
	}
	typ := ""
	switch it.Type {
	case model.InteractionLike:
		typ = store.NotifyFavourite
	case model.InteractionBoost:
		typ = store.NotifyReblog
		if err := in.boostChanged(ctx, db, it, p, added); err != nil {
			return err
		}
	default:
		return nil
	}
	if added {
		return in.notifyLocal(ctx, db, p.AuthorID, typ, p.ID, it.IdentityID)
	}
	return store.RemoveNotification(ctx, db, p.AuthorID, typ, p.ID, it.IdentityID)
}

// boostChanged puts a boost into the home timelines of the booster's
// local followers (and the booster's, when local), or takes it out.
func (in *Instance) boostChanged(ctx context.Context, db store.DB, it *model.Interaction, p *model.Post, added bool) error {
	if !added {
		return store.RemoveBoostEvents(ctx, db, it.ID)
	}
	_, err := store.FanOutBoost(ctx, db, it.ID, it.IdentityID, p.ID)
	return err
}

// interactionParties loads the interaction a handler works on, its
// identity, post and the post's author.
func (in *Instance) interactionParties(ctx context.Context, it stator.Item) (*model.Interaction, *model.Identity, *model.Post, *model.Identity, error) {
	x, err := store.InteractionByID(ctx, in.DB, model.ID(it.ID))
	if err != nil || x == nil {
		return nil, nil, nil, nil, errors.Join(err, fmt.Errorf("interaction %d is gone", it.ID))
	}
	if x.State != it.State {
		return nil, nil, nil, nil, errMoved
	}
	who, err := store.IdentityByID(ctx, in.DB, x.IdentityID)
	if err != nil || who == nil {
		return nil, nil, nil, nil, errors.Join(err, fmt.Errorf("interaction %d: the identity is gone", it.ID))
	}
	p, err := store.PostByID(ctx, in.DB, x.PostID)
	if err != nil || p == nil {
		return nil, nil, nil, nil, errors.Join(err, fmt.Errorf("interaction %d: the post is gone", it.ID))
	}
	author, err := store.IdentityByID(ctx, in.DB, p.AuthorID)
	if err != nil || author == nil {
		return nil, nil, nil, nil, errors.Join(err, fmt.Errorf("interaction %d: the author is gone", it.ID))
	}
	return x, who, p, author, nil
}

// interactionActivity renders the activity of one of our interactions,
// and the inboxes it goes to: a like to the author; a boost to the
// booster's followers and the author; a pin (Add) to the followers.
// Nothing goes out for local-only posts.
func (in *Instance) interactionActivity(ctx context.Context, x *model.Interaction, who *model.Identity, p *model.Post, author *model.Identity) (map[string]any, []string, error) {
	if !who.Local || p.Visibility == model.VisibilityLocal {
		return nil, nil, nil
	}
	switch x.Type {
	case model.InteractionLike:
		if author.Local || author.DeliveryInbox() == "" {
			return nil, nil, nil
		}
		return ap.Like(x.URI, who.URI, p.URI, author.URI), []string{author.DeliveryInbox()}, nil
	case model.InteractionBoost:
		var others []model.ID
		if !author.Local {
			others = append(others, author.ID)
		}
		inboxes, err := store.PostInboxes(ctx, in.DB, who.ID, true, others)
		if err != nil {
			return nil, nil, err
		}
		activity := ap.Announce(x.URI, who, p, author, ap.Timestamp(x.Created))
		err = in.addressBoost(ctx, x, who, author, activity)
		return activity, inboxes, err
	case model.InteractionPin:
		inboxes, err := store.PostInboxes(ctx, in.DB, who.ID, true, nil)
		return ap.FeaturedChange("Add", x.URI, who, p.URI), inboxes, err
	}
	return nil, nil, nil
}

func (in *Instance) fanOutInteraction(ctx context.Context, it stator.Item) (string, error) {
	x, who, p, author, err := in.interactionParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	activity, inboxes, err := in.interactionActivity(ctx, x, who, p, author)
	if err != nil {
		return "", err
	}
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, who, inbox, activity); err != nil {
			return "", err
		}
	}
	return InteractionFannedOut, nil
}

func (in *Instance) fanOutUndoInteraction(ctx context.Context, it stator.Item) (string, error) {
	x, who, p, author, err := in.interactionParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	activity, inboxes, err := in.interactionActivity(ctx, x, who, p, author)
	if err != nil || activity == nil {
		return InteractionUndoneFannedOut, err
	}
	var undo map[string]any
	if x.Type == model.InteractionPin {
		undo = ap.FeaturedChange("Remove", x.URI+"/remove", who, p.URI)
	} else {
		cc := activity["cc"]
		undo = ap.Undo(x.URI+"/undo", who.URI, activity)
		if cc != nil {
			undo["cc"] = cc
		}
	}
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, who, inbox, undo); err != nil {
			return "", err
		}
	}
	return InteractionUndoneFannedOut, nil
}

// addressBoost narrows the audience of a boost made for fewer people than
// the default: unlisted keeps the public out of "to", private leaves it
// out entirely (the followers and the author only).
func (in *Instance) addressBoost(ctx context.Context, x *model.Interaction, who, author *model.Identity, activity map[string]any) error {
	vis, err := store.BoostVisibility(ctx, in.DB, x.ID)
	if err != nil {
		return err
	}
	switch vis {
	case model.VisibilityUnlisted:
		activity["to"] = []string{who.FollowersURI}
		activity["cc"] = []string{ap.Public, author.URI}
	case model.VisibilityPrivate:
		activity["to"] = []string{who.FollowersURI}
		activity["cc"] = []string{author.URI}
	}
	return nil
}
