package social

import (
	"context"
	"errors"

	"pukeko/app/model"
	"pukeko/app/store"
)

// ErrConversationNotFound means an identity has no conversation by that
// id.
var ErrConversationNotFound = errors.New("conversation not found")

// MuteThread silences who's notifications about the thread of a post who
// may see: what arrives afterwards about it is not shown.
func (in *Instance) MuteThread(ctx context.Context, who *model.Identity, p *model.Post) error {
	if ok, err := in.CanSee(ctx, who.ID, p); err != nil {
		return err
	} else if !ok {
		return ErrPostNotFound
	}
	return store.MuteThread(ctx, in.DB, who.ID, store.ThreadOf(p))
}

// UnmuteThread lifts who's mute of the thread of a post.
func (in *Instance) UnmuteThread(ctx context.Context, who *model.Identity, p *model.Post) error {
	return store.UnmuteThread(ctx, in.DB, who.ID, store.ThreadOf(p))
}

// ReadConversation marks one of who's direct conversations read up to its
// newest post, and returns it.
func (in *Instance) ReadConversation(ctx context.Context, who *model.Identity, id model.ID) (*store.Conversation, error) {
	c, err := store.ConversationByID(ctx, in.DB, who.ID, id)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ErrConversationNotFound
	}
	if c.Last != nil {
		if err := store.MarkConversation(ctx, in.DB, who.ID, id, c.Last.ID, false); err != nil {
			return nil, err
		}
	}
	c.Unread = false
	return c, nil
}

// HideConversation removes one of who's direct conversations from its
// list (and marks it read) until a newer post comes in it.
func (in *Instance) HideConversation(ctx context.Context, who *model.Identity, id model.ID) error {
	c, err := store.ConversationByID(ctx, in.DB, who.ID, id)
	if err != nil {
		return err
	}
	if c == nil {
		return ErrConversationNotFound
	}
	if c.Last == nil {
		return nil
	}
	return store.MarkConversation(ctx, in.DB, who.ID, id, c.Last.ID, true)
}
