package mastodon

import (
	"context"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// isPublic reports whether a post belongs on public streams (local-only
// posts too: every streaming reader is one of ours).
func isPublic(p *model.Post) bool {
	return p.Visibility == model.VisibilityPublic || p.Visibility == model.VisibilityLocal
}

// publicKeys are the public and hashtag streams a post belongs on. As the
// public timelines: the federated one has public posts only, the local
// one and hashtags local-only posts too.
func publicKeys(p *model.Post) []string {
	var keys []string
	if p.Visibility == model.VisibilityPublic {
		keys = append(keys, keyPublic)
		if !p.Local {
			keys = append(keys, keyPublicRemote)
		}
	}
	if p.Local {
		keys = append(keys, keyPublicLocal)
	}
	for _, t := range p.Hashtags {
		keys = append(keys, hashtagKey(t))
		if p.Local {
			keys = append(keys, localTagKey(t))
		}
	}
	return keys
}

// deliverNewPost: a post was fanned out for the first time; public ones
// go to the public and hashtag streams, and any to the lists of its
// author's followers.
func (h *streamHub) deliverNewPost(ctx context.Context, ev store.StreamEvent) error {
	p, err := store.PostByID(ctx, h.api.In.DB, ev.Post)
	if err != nil || p == nil || p.Deleted != nil {
		return err
	}
	e := entry{Post: p}
	if isPublic(p) {
		if err := h.toPublic(ctx, e, eventUpdate); err != nil {
			return err
		}
	}
	return h.toLists(ctx, e, p.AuthorID, false, eventUpdate)
}

// deliverEdit: an edit was fanned out. It goes where the post went: public
// streams, lists, and the home streams whose timeline holds it.
func (h *streamHub) deliverEdit(ctx context.Context, ev store.StreamEvent) error {
	p, err := store.PostByID(ctx, h.api.In.DB, ev.Post)
	if err != nil || p == nil || p.Deleted != nil {
		return err
	}
	e := entry{Post: p}
	// A post edited before its first fan-out finished (still new) reaches
	// public streams and lists with its creation, in its edited form.
	fannedOut := p.State != social.PostNew
	if fannedOut && isPublic(p) {
		if err := h.toPublic(ctx, e, eventStatusUpdate); err != nil {
			return err
		}
	}
	if fannedOut && p.Visibility != model.VisibilityDirect {
		if err := h.toLists(ctx, e, p.AuthorID, false, eventStatusUpdate); err != nil {
			return err
		}
	}
	users := h.streamingUsers()
	if len(users) == 0 {
		return nil
	}
	holders, err := store.StreamHomeHolders(ctx, h.api.In.DB, p.ID, users)
	if err != nil || len(holders) == 0 {
		return err
	}
	ids := make([]model.ID, 0, len(holders))
	for id := range holders {
		ids = append(ids, id)
	}
	return h.toReaders(ctx, e, timelineSubs(h.userSubs(ids)), eventStatusUpdate)
}

// toPublic sends a post to the public and hashtag streams: rendered once
// per domain as a logged-out reader sees it, the same frame for every
// client, leaving out the clients whose identity may not see it (who
// block or mute its author).
func (h *streamHub) toPublic(ctx context.Context, e entry, event string) error {
	p := e.Post
	subs := h.snapshot(publicKeys(p)...)
	if len(subs) == 0 {
		return nil
	}
	visible, err := store.StreamReaders(ctx, h.api.In.DB, p.ID, viewersOf(subs))
	if err != nil {
		return err
	}
	renders := map[string]*postRender{}
	fs := frames{}
	for _, s := range subs {
		c := s.client
		if !visible[c.viewer.ID] {
			continue
		}
		k := domainKey(c)
		pr := renders[k]
		if pr == nil {
			if pr, err = h.api.newPostRender(ctx, c.host, c.https, e); err != nil {
				return err
			}
			renders[k] = pr
		}
		if s.onlyMedia && !pr.hasMedia() {
			continue
		}
		if s.localOnly {
			// The local timeline is the domain's, as over REST.
			if a := pr.author(); a == nil || a.Domain != c.host {
				continue
			}
		}
		payload, err := pr.anonymous()
		if err != nil {
			return err
		}
		if payload != "" {
			c.send(fs.get(k, s, event, payload))
		}
	}
	return nil
}

// toLists sends an entry to the list streams showing it: lists with
// member (the author, or the booster) that pass their replies policy and
// whose owner may see the post; rendered for each owner.
func (h *streamHub) toLists(ctx context.Context, e entry, member model.ID, boost bool, event string) error {
	subs, lists := h.listSubs()
	if len(subs) == 0 {
		return nil
	}
	showing, err := store.StreamListsShowing(ctx, h.api.In.DB, e.Post.ID, member, boost, lists)
	if err != nil || len(showing) == 0 {
		return err
	}
	chosen := subs[:0:0]
	for _, s := range subs {
		if showing[s.list] {
			chosen = append(chosen, s)
		}
	}
	return h.sendRendered(ctx, e, chosen, event)
}

// deliverDeletion: a post was deleted. The public and hashtag streams it
// was on and the lists of its author hear of it; home streams hear from
// their own rows going (a user delete event). An id alone needs no
// rendering, and a client that never had the post ignores it.
func (h *streamHub) deliverDeletion(ctx context.Context, ev store.StreamEvent) error {
	p, err := store.PostByID(ctx, h.api.In.DB, ev.Post)
	if err != nil || p == nil {
		return err
	}
	var subs []*subscription
	if isPublic(p) {
		subs = h.snapshot(publicKeys(p)...)
	}
	if lsubs, lists := h.listSubs(); len(lsubs) > 0 {
		with, err := store.StreamListsWithMember(ctx, h.api.In.DB, p.AuthorID, lists)
		if err != nil {
			return err
		}
		for _, s := range lsubs {
			if with[s.list] {
				subs = append(subs, s)
			}
		}
	}
	fs := frames{}
	for _, s := range subs {
		s.client.send(fs.get("", s, eventDelete, idStr(p.ID)))
	}
	return nil
}
