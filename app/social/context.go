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

// MaxAncestorFetchDepth bounds how far up a thread missing posts are
// fetched when a reply arrives.
const MaxAncestorFetchDepth = 10

// Post fetch states: a queued fetch of a post a reply points at, fetched
// (or found known) or given up on.
const (
	PostFetchNew     = "new"
	PostFetchFetched = "fetched"
	PostFetchFailed  = "failed"
)

// postFetchGraph fetches the missing ancestors of replies, signed by the
// server's own actor, and stores them as if they had been sent; a fetch
// that fails is retried with backoff for an hour.
func (in *Instance) postFetchGraph() *stator.Graph {
	g := stator.NewGraph("post_fetches", "post_fetches")
	g.State(PostFetchNew).Retry(stator.Backoff{Base: 10 * time.Second, Max: 10 * time.Minute, Jitter: 0.2}).
		TimesOutTo(PostFetchFailed, time.Hour).Handle(in.fetchAncestor, PostFetchFetched, PostFetchFailed)
	g.State(PostFetchFetched).DeleteAfter(7 * 24 * time.Hour)
	g.State(PostFetchFailed).DeleteAfter(7 * 24 * time.Hour)
	return g
}

// queueAncestorFetch queues the fetch of a post a reply points at, unless
// that would go deeper than MaxAncestorFetchDepth.
func (in *Instance) queueAncestorFetch(ctx context.Context, uri string, depth int) error {
	if depth > MaxAncestorFetchDepth {
		return nil
	}
	_, err := store.QueuePostFetch(ctx, in.DB, uri, depth)
	return err
}

func (in *Instance) fetchAncestor(ctx context.Context, it stator.Item) (string, error) {
	uri, depth, state, err := store.PostFetch(ctx, in.DB, it.ID)
	if err != nil {
		return "", err
	}
	if uri == "" || state != it.State {
		return "", ignoreMoved(errMoved)
	}
	if p, err := store.PostByURI(ctx, in.DB, uri); err != nil || p != nil {
		return PostFetchFetched, err
	}
	if blocked, err := store.DomainBlocked(ctx, in.DB, ap.Host(uri)); err != nil || blocked {
		return PostFetchFailed, err
	}
	signer, err := in.systemSigner(ctx)
	if err != nil {
		return "", err
	}
	o, final, err := in.Client.GetActivity(ctx, uri, signer)
	if err != nil {
		return "", fmt.Errorf("fetching %s: %w", uri, err)
	}
	if !ap.PostTypes[o.Type()] {
		in.Logger.Debug("fetched ancestor is not a post", "uri", uri, "type", o.Type())
		return PostFetchFailed, nil
	}
	if err := errors.Join(ap.SameHost(o.ID(), final), ap.SameHost(o.ID(), uri)); err != nil {
		in.Logger.Debug("fetched ancestor from the wrong host", "uri", uri, "error", err)
		return PostFetchFailed, nil
	}
	actor, err := in.IdentityForURI(ctx, o.Ref("attributedTo"))
	if err != nil {
		return "", err
	}
	if actor == nil || actor.Deleted != nil {
		return PostFetchFailed, nil
	}
	result, err := in.storeRemotePost(ctx, actor, o, depth)
	if err != nil {
		if errors.Is(err, errBadActivity) {
			in.Logger.Debug("fetched ancestor refused", "uri", uri, "error", err)
			return PostFetchFailed, nil
		}
		return "", err
	}
	in.Logger.Debug("fetched ancestor", "uri", uri, "depth", depth, "result", result)
	return PostFetchFetched, nil
}

// CanSee reports whether reader (0: logged out) may see a post: the rule
// of store.VisibleTo, which every timeline applies too.
func (in *Instance) CanSee(ctx context.Context, reader model.ID, p *model.Post) (bool, error) {
	if p == nil {
		return false, nil
	}
	return store.CanSee(ctx, in.DB, reader, p.ID)
}

// Context returns the thread around a post as reader sees it: ancestors
// from the root down, descendants depth first. The post itself must be
// visible to reader, else ErrPostNotFound.
func (in *Instance) Context(ctx context.Context, p *model.Post, reader model.ID) (ancestors, descendants []*model.Post, err error) {
	if ok, err := in.CanSee(ctx, reader, p); err != nil || !ok {
		return nil, nil, errors.Join(err, ErrPostNotFound)
	}
	return store.Context(ctx, in.DB, p.ID, reader)
}
