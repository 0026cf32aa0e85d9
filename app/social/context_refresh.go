package social

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pukeko/app/ap"
	"pukeko/app/federation"
	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// Context refresh states: the replies of a remote post are being fetched
// from its server, or were.
const (
	ContextRefreshFetching = "fetching"
	ContextRefreshFinished = "finished"
)

// When the replies of a remote post are fetched, as Mastodon 4.4 does: not
// before the post is repliesInitialWait old (the first replies still
// arrive on their own), and not again within repliesCooldown.
const (
	repliesInitialWait = 5 * time.Minute
	repliesCooldown    = 15 * time.Minute
)

// Bounds of one refresh: replies stored, documents fetched, pages read of
// one replies collection, and levels of replies to replies walked.
const (
	maxRefreshReplies  = 100
	maxRefreshRequests = 60
	maxRepliesPages    = 5
	maxRepliesDepth    = 5
)

// RefreshContext tells the refresh of the replies of p that a client
// opening its thread can follow: the one running, else one started now
// when reader (0: logged out) is a local identity and the post is a
// remote public or unlisted one, old enough and not refreshed lately.
// It returns nil when no refresh runs.
func (in *Instance) RefreshContext(ctx context.Context, p *model.Post, reader model.ID) (*model.ContextRefresh, error) {
	r, err := store.ContextRefreshByPost(ctx, in.DB, p.ID)
	if err != nil {
		return nil, err
	}
	if r != nil && r.State == ContextRefreshFetching {
		return r, nil
	}
	if reader == 0 || p.Local || p.Deleted != nil || time.Since(p.Published) < repliesInitialWait ||
		(p.Visibility != model.VisibilityPublic && p.Visibility != model.VisibilityUnlisted) {
		return nil, nil
	}
	return store.StartContextRefresh(ctx, in.DB, p.ID, ContextRefreshFetching, ContextRefreshFinished, repliesCooldown)
}

// newContextRefreshGraph declares the fetch of replies; a server that
// stays unreachable is given up on after ten minutes (the refresh finishes
// with what it has).
func (in *Instance) newContextRefreshGraph() *stator.Graph {
	g := stator.NewGraph("context_refreshes", "context_refreshes").Concurrency(4)
	g.State(ContextRefreshFetching).Retry(stator.Backoff{Base: 5 * time.Second, Max: 2 * time.Minute, Jitter: 0.2}).
		TimesOutTo(ContextRefreshFinished, 10*time.Minute).Handle(in.refreshReplies, ContextRefreshFinished)
	g.State(ContextRefreshFinished).DeleteAfter(time.Hour)
	return g
}

// replyWalk is one refresh under way: what it may still fetch.
type replyWalk struct {
	in       *Instance
	refresh  *model.ContextRefresh
	signer   *federation.Signer
	requests int // documents fetched
	stored   int // replies stored
}

// refreshReplies walks the replies collections of a post and of its
// replies, level by level, storing the replies not known here. Only the
// post's own collection failing makes the attempt fail; a reply that
// cannot be had is skipped.
func (in *Instance) refreshReplies(ctx context.Context, it stator.Item) (string, error) {
	r, err := store.ContextRefreshByID(ctx, in.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if r == nil || r.State != it.State {
		return "", ignoreMoved(errMoved)
	}
	p, err := store.PostByID(ctx, in.DB, r.PostID)
	if err != nil {
		return "", err
	}
	if p == nil || p.Local || p.Deleted != nil {
		return ContextRefreshFinished, nil
	}
	if blocked, err := store.DomainBlocked(ctx, in.DB, ap.Host(p.URI)); err != nil || blocked {
		return ContextRefreshFinished, err
	}
	signer, err := in.systemSigner(ctx)
	if err != nil {
		return "", err
	}
	w := &replyWalk{in: in, refresh: r, signer: signer}
	root, final, err := w.get(ctx, p.URI)
	if err != nil {
		return "", fmt.Errorf("fetching %s: %w", p.URI, err)
	}
	if err := ap.SameHost(root.ID(), final); err != nil || root.ID() != p.URI {
		return ContextRefreshFinished, nil
	}
	level := []ap.Object{root}
	for depth := 0; depth < maxRepliesDepth && len(level) > 0; depth++ {
		var next []ap.Object
		for _, parent := range level {
			uris, err := w.replyURIs(ctx, parent)
			if err != nil {
				if depth == 0 {
					return "", err
				}
				in.Logger.Debug("replies collection unavailable", "post", parent.ID(), "error", err)
				continue
			}
			for _, uri := range uris {
				reply, err := w.reply(ctx, uri, parent.ID())
				if err != nil {
					return "", err
				}
				if reply != nil {
					next = append(next, reply)
				}
			}
		}
		level = next
	}
	in.Logger.Debug("replies refreshed", "post", p.URI, "stored", w.stored, "requests", w.requests)
	return ContextRefreshFinished, nil
}

// errWalkBudget ends a walk that fetched all it may.
var errWalkBudget = errors.New("refresh budget spent")

// get fetches a document, within the walk's budget.
func (w *replyWalk) get(ctx context.Context, uri string) (ap.Object, string, error) {
	if w.requests >= maxRefreshRequests || w.stored >= maxRefreshReplies {
		return nil, "", errWalkBudget
	}
	w.requests++
	return w.in.Client.GetActivity(ctx, uri, w.signer)
}

// replyURIs reads the replies collection of a post object (embedded or
// referenced, on the post's server): the items of its first pages. A
// page that cannot be had ends the list.
func (w *replyWalk) replyURIs(ctx context.Context, post ap.Object) ([]string, error) {
	page := post.Embedded("replies")
	if page == nil {
		ref := post.Ref("replies")
		if ref == "" || ap.SameHost(ref, post.ID()) != nil {
			return nil, nil
		}
		var final string
		var err error
		if page, final, err = w.get(ctx, ref); err != nil {
			if errors.Is(err, errWalkBudget) {
				return nil, nil
			}
			return nil, err
		}
		if ap.SameHost(page.ID(), final) != nil {
			return nil, nil
		}
	}
	var uris []string
	for pages := 0; page != nil && pages < maxRepliesPages; pages++ {
		uris = append(uris, page.Refs("items")...)
		uris = append(uris, page.Refs("orderedItems")...)
		link := "next"
		if t := page.Type(); t == "Collection" || t == "OrderedCollection" {
			link = "first"
		}
		next := page.Embedded(link)
		if next == nil {
			ref := page.Ref(link)
			if ref == "" || ap.SameHost(ref, post.ID()) != nil {
				break
			}
			var err error
			if next, _, err = w.get(ctx, ref); err != nil {
				break
			}
		}
		page = next
	}
	return uris, nil
}

// reply stores the reply at uri to the post parentURI unless known, and
// returns its object for the next level (nil when it is not a reply of
// that post, cannot be had, or the budget is spent). Only database
// errors are returned.
func (w *replyWalk) reply(ctx context.Context, uri, parentURI string) (ap.Object, error) {
	in := w.in
	known, err := store.PostByURI(ctx, in.DB, uri)
	if err != nil {
		return nil, err
	}
	if known != nil && known.Local {
		return nil, nil // ours: its replies are here already
	}
	if blocked, err := store.DomainBlocked(ctx, in.DB, ap.Host(uri)); err != nil || blocked {
		return nil, err
	}
	o, final, err := w.get(ctx, uri)
	if err != nil {
		if !errors.Is(err, errWalkBudget) {
			in.Logger.Debug("reply unavailable", "uri", uri, "error", err)
		}
		return nil, nil
	}
	if !ap.PostTypes[o.Type()] || ap.SameHost(o.ID(), final) != nil || ap.SameHost(o.ID(), uri) != nil ||
		o.Ref("inReplyTo") != parentURI {
		return nil, nil
	}
	if known != nil {
		return o, nil
	}
	actor, err := in.IdentityForURI(ctx, o.Ref("attributedTo"))
	if err != nil || actor == nil || actor.Deleted != nil {
		in.Logger.Debug("author of a reply unavailable", "uri", uri, "error", err)
		return nil, nil
	}
	result, err := in.storeRemotePost(ctx, actor, o, 0)
	if err != nil {
		if errors.Is(err, errBadActivity) {
			return nil, nil
		}
		return nil, err
	}
	// The reply may have arrived by itself meanwhile: only one stored
	// here counts.
	if result == "post created" {
		w.stored++
		if err := store.CountContextRefreshResult(ctx, in.DB, w.refresh.ID); err != nil {
			return nil, err
		}
	}
	return o, nil
}
