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

// Post states. A post is fanned out when created, again when edited and
// once more when deleted; the *_fanned_out states wait for the next change.
const (
	PostNew              = "new"
	PostFannedOut        = "fanned_out"
	PostEdited           = "edited"
	PostEditedFannedOut  = "edited_fanned_out"
	PostDeleted          = "deleted"
	PostDeletedFannedOut = "deleted_fanned_out"
)

// postGraph fans posts out: home-timeline events for local recipients (one
// INSERT ... SELECT per post), and for our own posts one delivery per
// remote inbox. Failures are database trouble: retried, up to an hour
// apart, until they pass.
func (in *Instance) postGraph() *stator.Graph {
	g := stator.NewGraph("posts", "posts")
	retry := stator.Backoff{Base: 5 * time.Second, Max: time.Hour, Jitter: 0.2}
	g.State(PostNew).Retry(retry).Handle(in.fanOutCreate, PostFannedOut)
	g.State(PostFannedOut)
	g.State(PostEdited).Retry(retry).Handle(in.fanOutEdit, PostEditedFannedOut)
	g.State(PostEditedFannedOut)
	g.State(PostDeleted).Retry(retry).Handle(in.fanOutDelete, PostDeletedFannedOut)
	g.State(PostDeletedFannedOut).Terminal()
	return g
}

// postParties loads the post a handler works on, its author and the
// identities it mentions (in the post's order).
func (in *Instance) postParties(ctx context.Context, it stator.Item) (*model.Post, *model.Identity, []*model.Identity, error) {
	p, err := store.PostByID(ctx, in.DB, model.ID(it.ID))
	if err != nil || p == nil {
		return nil, nil, nil, errors.Join(err, fmt.Errorf("post %d is gone", it.ID))
	}
	if p.State != it.State {
		return nil, nil, nil, errMoved
	}
	author, err := store.IdentityByID(ctx, in.DB, p.AuthorID)
	if err != nil || author == nil {
		return nil, nil, nil, errors.Join(err, fmt.Errorf("post %d: the author is gone", it.ID))
	}
	mentions, err := in.mentionedIdentities(ctx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, author, mentions, nil
}

// toFollowers reports whether a post goes to its author's followers.
func toFollowers(p *model.Post) bool { return p.Visibility != model.VisibilityDirect }

// federated reports whether a post is ours to send to other servers.
func federated(p *model.Post) bool { return p.Local && p.Visibility != model.VisibilityLocal }

// sendPost queues activity for every remote inbox of a post's audience.
func (in *Instance) sendPost(ctx context.Context, p *model.Post, author *model.Identity, activity map[string]any) error {
	inboxes, err := store.PostInboxes(ctx, in.DB, author.ID, toFollowers(p), p.Mentions)
	if err != nil {
		return err
	}
	for _, inbox := range inboxes {
		if err := in.deliverTo(ctx, in.DB, author, inbox, activity); err != nil {
			return err
		}
	}
	return nil
}

func (in *Instance) fanOutCreate(ctx context.Context, it stator.Item) (string, error) {
	p, author, mentions, err := in.postParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if _, err := store.FanOutLocal(ctx, in.DB, p, toFollowers(p)); err != nil {
		return "", err
	}
	if err := in.postArrived(ctx, p); err != nil {
		return "", err
	}
	if federated(p) {
		note, err := in.RenderPost(ctx, p, author, mentions)
		if err != nil {
			return "", err
		}
		if err := in.sendPost(ctx, p, author, ap.PostActivity("Create", p.URI+"/activity", author.URI, note)); err != nil {
			return "", err
		}
		if err := in.requestQuoteApproval(ctx, p, author, note); err != nil {
			return "", err
		}
	}
	return PostFannedOut, nil
}

func (in *Instance) fanOutEdit(ctx context.Context, it stator.Item) (string, error) {
	p, author, mentions, err := in.postParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	// Identities newly mentioned see the post now.
	if _, err := store.FanOutLocal(ctx, in.DB, p, toFollowers(p)); err != nil {
		return "", err
	}
	if err := in.postEdited(ctx, p); err != nil {
		return "", err
	}
	if federated(p) {
		edited := p.Published
		if p.Edited != nil {
			edited = *p.Edited
		}
		id := fmt.Sprintf("%s#updates/%d", p.URI, edited.UnixMilli())
		note, err := in.RenderPost(ctx, p, author, mentions)
		if err != nil {
			return "", err
		}
		if err := in.sendPost(ctx, p, author, ap.PostActivity("Update", id, author.URI, note)); err != nil {
			return "", err
		}
	}
	return PostEditedFannedOut, nil
}

func (in *Instance) fanOutDelete(ctx context.Context, it stator.Item) (string, error) {
	p, author, mentions, err := in.postParties(ctx, it)
	if err != nil {
		return "", ignoreMoved(err)
	}
	if err := store.RemovePostEvents(ctx, in.DB, p.ID); err != nil {
		return "", err
	}
	if federated(p) {
		if err := in.sendPost(ctx, p, author, ap.DeleteActivity(p, author, mentions)); err != nil {
			return "", err
		}
	}
	if err := store.BlankDeletedPost(ctx, in.DB, p.ID); err != nil {
		return "", err
	}
	// The post's files go with it (the media_files graph deletes them).
	if err := store.DeletePostAttachments(ctx, in.DB, p.ID); err != nil {
		return "", err
	}
	if p.InReplyToID != 0 {
		if err := store.RecountReplies(ctx, in.DB, p.InReplyToID); err != nil {
			return "", err
		}
	}
	return PostDeletedFannedOut, nil
}

// RenderPost renders a post as the ActivityPub object other servers get
// (a Note, or a Question with its poll), with its mentions, hashtags and
// custom emoji: one rendering for deliveries and for the post's URL.
func (in *Instance) RenderPost(ctx context.Context, p *model.Post, author *model.Identity, mentions []*model.Identity) (map[string]any, error) {
	note := ap.RenderNote(p, author, mentions)
	if err := in.addEmojiTags(ctx, note, p); err != nil {
		return nil, err
	}
	if err := in.renderPoll(ctx, p, note); err != nil {
		return nil, err
	}
	if err := in.addAttachments(ctx, note, p); err != nil {
		return nil, err
	}
	if err := in.addQuoteFields(ctx, note, p, author); err != nil {
		return nil, err
	}
	return note, nil
}

// mentionedIdentities loads the identities a post mentions, in the post's
// order (identities that are gone are left out).
func (in *Instance) mentionedIdentities(ctx context.Context, p *model.Post) ([]*model.Identity, error) {
	found, err := store.IdentitiesByIDs(ctx, in.DB, p.Mentions)
	if err != nil {
		return nil, err
	}
	byID := make(map[model.ID]*model.Identity, len(found))
	for _, i := range found {
		byID[i.ID] = i
	}
	var mentions []*model.Identity
	for _, id := range p.Mentions {
		if i := byID[id]; i != nil {
			mentions = append(mentions, i)
		}
	}
	return mentions, nil
}
