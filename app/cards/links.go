package cards

import (
	"context"
	"net/url"
	"time"

	"pukeko/app/model"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// States of a post's card (post_preview_cards).
const (
	PostNew      = "new"      // content written or changed: pick its link
	PostLinked   = "linked"   // shows its link's card
	PostUnlinked = "unlinked" // has no link that counts; the row goes
)

// unlinkedKept is how long a post without a card keeps its row: only a
// later edit needs it, and the trigger makes a new one then.
const unlinkedKept = time.Hour

// postGraph picks posts' links. Failures are database trouble: retried,
// up to an hour apart.
func (s *Service) postGraph() *stator.Graph {
	g := stator.NewGraph("post_preview_cards", "post_preview_cards").Concurrency(4)
	g.State(PostNew).Retry(stator.Backoff{Base: 5 * time.Second, Max: time.Hour, Jitter: 0.2}).
		Handle(s.linkPost, PostLinked, PostUnlinked)
	g.State(PostLinked)
	g.State(PostUnlinked).DeleteAfter(unlinkedKept)
	return g
}

// linkPost links a post to the card of its link, making the card (which
// the preview_cards graph then fetches) when the URL is new, and having
// an old one fetched again.
func (s *Service) linkPost(ctx context.Context, it stator.Item) (string, error) {
	p, err := store.PostByID(ctx, s.DB, model.ID(it.ID))
	if err != nil {
		return "", err
	}
	if p == nil {
		return PostUnlinked, nil // the row went with the post
	}
	link := ""
	if s.Options.Enabled && p.Deleted == nil {
		if link, err = s.pickLink(ctx, p); err != nil {
			return "", err
		}
	}
	if link == "" {
		if err := store.LinkPostCard(ctx, s.DB, p.ID, 0); err != nil {
			return "", err
		}
		return PostUnlinked, nil
	}
	card, err := store.EnsurePreviewCard(ctx, s.DB, link)
	if err != nil {
		return "", err
	}
	if card.State != CardNew {
		if _, err := store.RefreshPreviewCard(ctx, s.DB, card.ID, s.refreshAfter()); err != nil {
			return "", err
		}
	}
	if err := store.LinkPostCard(ctx, s.DB, p.ID, card.ID); err != nil {
		return "", err
	}
	return PostLinked, nil
}

// pickLink returns the URL of the first link of a post that counts
// (normalized), or "": not a mention (by its markup, or by pointing at an
// identity the post mentions) or a hashtag, not a page of this server,
// not the post's own media.
func (s *Service) pickLink(ctx context.Context, p *model.Post) (string, error) {
	candidates := candidateLinks(p.Content)
	if len(candidates) == 0 {
		return "", nil
	}
	skip := map[string]bool{}
	mentioned, err := store.IdentitiesByIDs(ctx, s.DB, p.Mentions)
	if err != nil {
		return "", err
	}
	for _, i := range mentioned {
		skip[i.URI], skip[i.URL] = true, true
	}
	atts, err := store.PostAttachments(ctx, s.DB, []model.ID{p.ID})
	if err != nil {
		return "", err
	}
	for _, a := range atts[p.ID] {
		if a.RemoteURL != "" {
			skip[a.RemoteURL] = true
		}
	}
	authorHost := ""
	if author, err := store.IdentityByID(ctx, s.DB, p.AuthorID); err != nil {
		return "", err
	} else if author != nil {
		if u, err := url.Parse(author.URI); err == nil {
			authorHost = u.Hostname()
		}
	}
	for _, href := range candidates {
		link, ok := NormalizeURL(href)
		if !ok || skip[href] || skip[link] {
			continue
		}
		u, _ := url.Parse(link)
		if u.Hostname() == authorHost && mediaPath(u.Path) {
			continue
		}
		local, err := s.localHost(ctx, u.Hostname())
		if err != nil {
			return "", err
		}
		if !local {
			return link, nil
		}
	}
	return "", nil
}

// localHost reports whether host is one of this server's domains.
func (s *Service) localHost(ctx context.Context, host string) (bool, error) {
	if host == s.Options.MainDomain {
		return true, nil
	}
	d, err := store.LocalDomainByHost(ctx, s.DB, host)
	return d != nil, err
}
