package social

import (
	"context"
	"time"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// remoteNote reads a post object an actor sent: it must be attributed to
// the actor and live on the actor's host, so that no server speaks for
// another.
func (in *Instance) remoteNote(ctx context.Context, actor *model.Identity, obj ap.Object) (*ap.ParsedNote, error) {
	if by := obj.Ref("attributedTo"); by != actor.URI {
		return nil, badActivity("%s sent a post attributed to %q", actor.URI, by)
	}
	if err := ap.SameHost(obj.ID(), actor.URI); err != nil {
		return nil, badActivity("%v", err)
	}
	n, err := ap.ParseNote(obj, actor)
	if err != nil {
		return nil, badActivity("%v", err)
	}
	// Mentions count when we know the identity: ours, or one met before.
	// Unknown ones are not fetched here (one post must not make us fetch
	// a crowd).
	for _, uri := range n.MentionURIs {
		i, err := store.IdentityByURI(ctx, in.DB, uri)
		if err != nil {
			return nil, err
		}
		if i != nil && i.Deleted == nil {
			n.Post.Mentions = append(n.Post.Mentions, i.ID)
		}
	}
	return n, nil
}

// receiveCreate stores a post another server sent. The same Create twice,
// or the same post by two routes, makes one post. A stored post enters the
// post graph, which puts it in the home timelines of its local audience.
func (in *Instance) receiveCreate(ctx context.Context, actor *model.Identity, a ap.Object) (string, error) {
	obj := a.Embedded("object")
	if obj == nil {
		return "ignored: Create without an embedded object", nil
	}
	if !ap.PostTypes[obj.Type()] {
		return "ignored: Create of " + obj.Type(), nil
	}
	if result, ok, err := in.receiveVote(ctx, actor, obj); ok || err != nil {
		return result, err
	}
	return in.storeRemotePost(ctx, actor, obj, 0)
}

// storeRemotePost stores a post object of actor, sent to us or fetched
// (depth: how many replies below a post that arrived it is). When it
// replies to a post unknown here, that post is fetched in the background,
// up to MaxAncestorFetchDepth posts up the thread.
func (in *Instance) storeRemotePost(ctx context.Context, actor *model.Identity, obj ap.Object, depth int) (string, error) {
	n, err := in.remoteNote(ctx, actor, obj)
	if err != nil {
		return "", err
	}
	p := n.Post
	if existing, err := store.PostByURI(ctx, in.DB, p.URI); err != nil {
		return "", err
	} else if existing != nil {
		if existing.AuthorID == actor.ID {
			// A poll lost to a failure after its post was stored.
			if err := in.storeRemotePoll(ctx, existing.ID, obj); err != nil {
				return "", err
			}
		}
		return "post already known", nil
	}
	if p.InReplyToURI != "" {
		parent, err := store.PostByURI(ctx, in.DB, p.InReplyToURI)
		if err != nil {
			return "", err
		}
		if parent != nil {
			p.InReplyToID = parent.ID
			if p.Context == "" {
				p.Context = parent.Context
			}
		}
	}
	// The id sorts the post by when it was written (never in the future,
	// which would pin it atop timelines).
	at := p.Published
	if now := time.Now(); at.After(now) {
		at = now
	}
	p.ID = model.IDAt(at)
	p.Edited = nil
	inserted, err := store.InsertPost(ctx, in.DB, p, PostNew)
	if err != nil {
		return "", err
	}
	if !inserted {
		return "post already known", nil
	}
	if err := in.storeRemotePoll(ctx, p.ID, obj); err != nil {
		return "", err
	}
	if err := in.storeRemoteAttachments(ctx, in.DB, p.ID, obj); err != nil {
		return "", err
	}
	if err := in.storeRemoteEmoji(ctx, in.DB, actor, obj, p.ID); err != nil {
		return "", err
	}
	if err := in.storeRemoteQuote(ctx, actor, p, obj); err != nil {
		return "", err
	}
	if err := store.LinkReplies(ctx, in.DB, p); err != nil {
		return "", err
	}
	if p.InReplyToURI != "" && p.InReplyToID == 0 {
		// Only now that this reply is stored: a parent that arrives from
		// here on links it (LinkReplies), and one that arrived meanwhile is
		// linked by LinkToParent; otherwise it is fetched.
		linked, err := store.LinkToParent(ctx, in.DB, p.ID)
		if err != nil {
			return "", err
		}
		if !linked {
			if err := in.queueAncestorFetch(ctx, p.InReplyToURI, depth+1); err != nil {
				return "", err
			}
		}
	}
	return "post created", nil
}

// receivePostUpdate applies an edit of a post by its author: the replaced
// version goes to the history. The visibility stays as it was.
func (in *Instance) receivePostUpdate(ctx context.Context, actor *model.Identity, obj ap.Object) (string, error) {
	n, err := in.remoteNote(ctx, actor, obj)
	if err != nil {
		return "", err
	}
	old, err := store.PostByURI(ctx, in.DB, n.Post.URI)
	if err != nil {
		return "", err
	}
	if old == nil {
		return "ignored: update of an unknown post", nil
	}
	if old.AuthorID != actor.ID {
		return "", badActivity("%s updated a post of someone else", actor.URI)
	}
	if old.Deleted != nil {
		return "ignored: the post was deleted", nil
	}
	if quoteOnly, result, err := in.receiveQuoteUpdate(ctx, actor, old, n, obj); err != nil || quoteOnly {
		return result, err
	}
	if obj.Type() == "Question" {
		// New counts (or a poll closed): an edit only when the post says
		// it was edited since.
		if err := in.updateRemotePoll(ctx, old, obj); err != nil {
			return "", err
		}
		if n.Post.Edited == nil || (old.Edited != nil && !n.Post.Edited.After(*old.Edited)) {
			return "poll updated", nil
		}
	}
	if old.Edited != nil && n.Post.Edited != nil && !n.Post.Edited.After(*old.Edited) {
		return "ignored: not newer than the stored version", nil
	}
	p := *old
	p.Content, p.Summary, p.Sensitive, p.Title = n.Post.Content, n.Post.Summary, n.Post.Sensitive, n.Post.Title
	p.Mentions, p.Hashtags = n.Post.Mentions, n.Post.Hashtags
	if n.Post.Language != "" {
		p.Language = n.Post.Language
	}
	p.Edited = n.Post.Edited
	if p.Edited == nil {
		now := time.Now()
		p.Edited = &now
	}
	tx, err := in.DB.Begin(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback(ctx)
	if err := store.SavePostEdit(ctx, tx, old, &p); err != nil {
		return "", err
	}
	if err := in.storeRemoteEmoji(ctx, tx, actor, obj, p.ID); err != nil {
		return "", err
	}
	if err := in.storeRemoteAttachments(ctx, tx, p.ID, obj); err != nil {
		return "", err
	}
	if _, err := in.graphs().posts.Move(ctx, tx, int64(p.ID), PostEdited); err != nil {
		return "", err
	}
	if err := tx.Commit(ctx); err != nil {
		return "", err
	}
	return "post edited", nil
}

// receivePostDelete deletes a post (named by its id or a Tombstone) of the
// actor: it leaves timelines here at once.
func (in *Instance) receivePostDelete(ctx context.Context, actor *model.Identity, uri string) (string, error) {
	if uri == "" {
		return "", badActivity("Delete without an object")
	}
	p, err := store.PostByURI(ctx, in.DB, uri)
	if err != nil {
		return "", err
	}
	if p == nil {
		return in.receiveQuoteAuthorizationDelete(ctx, actor, uri)
	}
	if p.AuthorID != actor.ID {
		return "", badActivity("%s deleted a post of someone else", actor.URI)
	}
	if p.Deleted != nil {
		return "post already deleted", nil
	}
	if err := in.markDeleted(ctx, p); err != nil {
		return "", err
	}
	return "post deleted", nil
}
