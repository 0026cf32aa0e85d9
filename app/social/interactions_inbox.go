package social

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// interactionKinds maps the activities that make interactions to their
// interaction type (a Like with a reaction is a reaction).
var interactionKinds = map[string]string{
	"Like":       model.InteractionLike,
	"Announce":   model.InteractionBoost,
	"EmojiReact": model.InteractionReaction,
}

// reactionOf returns the emoji of a Like or EmojiReact: Misskey puts it in
// _misskey_reaction (and content), Pleroma in content.
func reactionOf(a ap.Object) string {
	if r := strings.TrimSpace(a.String("_misskey_reaction")); r != "" {
		return r
	}
	return strings.TrimSpace(a.String("content"))
}

// receiveLike stores a like (or, with an emoji, a reaction) of a post
// known here; likes of posts we never saw concern nobody here.
func (in *Instance) receiveLike(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	p, err := store.PostByURI(ctx, in.DB, a.Ref("object"))
	if err != nil {
		return "", err
	}
	if p == nil {
		return "ignored: " + a.Type() + " of an unknown post", nil
	}
	typ, value := model.InteractionLike, reactionOf(a)
	if a.Type() == "EmojiReact" || value != "" {
		typ = model.InteractionReaction
		if value == "" {
			return "", badActivity("%s without an emoji", a.Type())
		}
	}
	return in.receiveInteraction(ctx, actor, a, p, typ, value)
}

// receiveAnnounce stores a boost of a post, fetching the post when it is
// unknown. Only public and unlisted posts can be boosted.
func (in *Instance) receiveAnnounce(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	p, err := in.postForURI(ctx, a.Ref("object"))
	if err != nil {
		return "", err
	}
	if p == nil {
		return "ignored: boost of something other than a post", nil
	}
	if p.Visibility != model.VisibilityPublic && p.Visibility != model.VisibilityUnlisted {
		return "ignored: boost of a " + p.Visibility + " post", nil
	}
	return in.receiveInteraction(ctx, actor, a, p, model.InteractionBoost, "")
}

// receiveFeatured applies an Add (pin) or Remove (unpin) of one of the
// actor's own posts to or from its featured collection.
func (in *Instance) receiveFeatured(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	target := a.Ref("target")
	if target == "" || (actor.FeaturedURI != "" && target != actor.FeaturedURI) || ap.SameHost(target, actor.URI) != nil {
		return "ignored: " + a.Type() + " to something other than the actor's featured collection", nil
	}
	uri := a.Ref("object")
	if a.Type() == "Remove" {
		p, err := store.PostByURI(ctx, in.DB, uri)
		if err != nil || p == nil {
			return "ignored: unpin of an unknown post", err
		}
		err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
			it, err := store.InteractionOf(ctx, tx, actor.ID, p.ID, model.InteractionPin, "")
			if err != nil || it == nil {
				return err
			}
			return store.DeleteInteraction(ctx, tx, it.ID)
		})
		if err != nil {
			return "", err
		}
		return "pin removed", nil
	}
	p, err := in.postForURI(ctx, uri)
	if err != nil {
		return "", err
	}
	if p == nil {
		return "ignored: pin of something other than a post", nil
	}
	if p.AuthorID != actor.ID {
		return "", badActivity("%s pinned a post of someone else", actor.URI)
	}
	return in.receiveInteraction(ctx, actor, a, p, model.InteractionPin, "")
}

// receiveInteraction stores an interaction of a remote actor, once
// however often it arrives, and counts it and notifies the local author.
func (in *Instance) receiveInteraction(ctx context.Context, actor *model.Identity, a ap.Object, p *model.Post, typ, value string) (string, error) {
	if p.Deleted != nil {
		return "ignored: the post was deleted", nil
	}
	uri := a.ID()
	if uri == "" {
		uri = fmt.Sprintf("%s#%s/%d/%s", actor.URI, typ, p.ID, value)
	}
	if err := ap.SameHost(uri, actor.URI); err != nil {
		return "", badActivity("%v", err)
	}
	if blocked, err := store.BlockedEitherWay(ctx, in.DB, actor.ID, p.AuthorID); err != nil {
		return "", err
	} else if blocked {
		return "ignored: blocked", nil
	}
	inserted := false
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		it := &model.Interaction{Type: typ, IdentityID: actor.ID, PostID: p.ID, URI: uri, Value: value}
		var err error
		if inserted, err = store.InsertInteraction(ctx, tx, it, InteractionReceived, false); err != nil || !inserted {
			return err
		}
		return in.interactionChanged(ctx, tx, it, p, true)
	})
	if err != nil {
		return "", err
	}
	if !inserted {
		return typ + " already known", nil
	}
	return typ + " stored", nil
}

// receiveUndoInteraction undoes a remote actor's like, boost or reaction,
// named by its activity id or, failing that, by the embedded activity.
// ok is false when the Undo is about no interaction known here.
func (in *Instance) receiveUndoInteraction(ctx context.Context, actor *model.Identity, inner ap.Object, ref string) (string, bool, error) {
	var it *model.Interaction
	var err error
	if ref != "" {
		if it, err = store.InteractionByURI(ctx, in.DB, ref); err != nil {
			return "", false, err
		}
	}
	if it == nil && inner != nil && interactionKinds[inner.Type()] != "" {
		p, err := store.PostByURI(ctx, in.DB, inner.Ref("object"))
		if err != nil || p == nil {
			return "", false, err
		}
		typ, value := interactionKinds[inner.Type()], ""
		if typ != model.InteractionBoost {
			if value = reactionOf(inner); value != "" || inner.Type() == "EmojiReact" {
				typ = model.InteractionReaction
			}
		}
		if it, err = store.InteractionOf(ctx, in.DB, actor.ID, p.ID, typ, value); err != nil {
			return "", false, err
		}
	}
	if it == nil || it.Type == model.InteractionPin {
		return "", false, nil
	}
	if it.IdentityID != actor.ID {
		return "", false, badActivity("%s undid someone else's %s", actor.URI, it.Type)
	}
	err = pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if err := store.DeleteInteraction(ctx, tx, it.ID); err != nil {
			return err
		}
		p, err := store.PostByID(ctx, tx, it.PostID)
		if err != nil || p == nil {
			return err
		}
		return in.interactionChanged(ctx, tx, it, p, false)
	})
	if err != nil {
		return "", false, err
	}
	return it.Type + " undone", true, nil
}

// postForURI returns the post with uri: known here, or fetched (signed by
// the system actor) and stored like a received post. nil when it is not
// a post, or is ours and unknown.
func (in *Instance) postForURI(ctx context.Context, uri string) (*model.Post, error) {
	if uri == "" {
		return nil, nil
	}
	if p, err := store.PostByURI(ctx, in.DB, uri); err != nil || p != nil {
		return p, err
	}
	host := ap.Host(uri)
	if local, err := store.IsLocalName(ctx, in.DB, host); err != nil || local {
		return nil, err
	}
	if blocked, err := store.DomainBlocked(ctx, in.DB, host); err != nil || blocked {
		return nil, err
	}
	signer, err := in.systemSigner(ctx)
	if err != nil {
		return nil, err
	}
	obj, final, err := in.Client.GetActivity(ctx, uri, signer)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", uri, err)
	}
	if !ap.PostTypes[obj.Type()] {
		return nil, nil
	}
	if err := ap.SameHost(obj.ID(), final); err != nil {
		return nil, badActivity("fetched %s: %v", uri, err)
	}
	author, err := in.IdentityForURI(ctx, obj.Ref("attributedTo"))
	if err != nil {
		return nil, fmt.Errorf("author of %s: %w", uri, err)
	}
	if author == nil || author.Deleted != nil {
		return nil, nil
	}
	create := ap.Object{"type": "Create", "actor": author.URI, "object": map[string]any(obj)}
	if _, err := in.receiveCreate(ctx, author, create); err != nil {
		if errors.Is(err, errBadActivity) {
			return nil, nil
		}
		return nil, err
	}
	return store.PostByURI(ctx, in.DB, obj.ID())
}
