package social

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"pukeko/app/ap"
	"pukeko/app/model"
	"pukeko/app/store"
)

// Resolved is what Resolve found: an account or a post (or neither).
type Resolved struct {
	Identity *model.Identity
	Post     *model.Post
}

// Resolve looks up q as an exact reference: @user@host (or user@host) is
// an account, found here or by webfinger; an https URL is a post or an
// account, known here or fetched and stored. The fetch is signed by
// reader when it is a local identity, so that a followers-only post its
// author's server shows to reader resolves too; otherwise by the server's
// actor. Anything else resolves to nothing.
func (in *Instance) Resolve(ctx context.Context, reader model.ID, q string) (Resolved, error) {
	q = strings.TrimSpace(q)
	if u, err := url.Parse(q); err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
		return in.resolveURL(ctx, reader, q)
	}
	if _, _, ok := SplitHandle(strings.TrimPrefix(q, "@")); ok {
		i, err := in.ResolveHandle(ctx, strings.TrimPrefix(q, "@"))
		return Resolved{Identity: i}, err
	}
	return Resolved{}, nil
}

func (in *Instance) resolveURL(ctx context.Context, reader model.ID, uri string) (Resolved, error) {
	if p, err := store.PostByURI(ctx, in.DB, uri); err != nil || p != nil {
		return Resolved{Post: p}, err
	}
	if i, err := store.IdentityByURI(ctx, in.DB, uri); err != nil || (i != nil && (i.Local || i.Fetched != nil)) {
		return Resolved{Identity: i}, err
	}
	if d, err := store.LocalDomainByHost(ctx, in.DB, ap.Host(uri)); err != nil || d != nil {
		return Resolved{}, err // ours, and not known: nothing there
	}
	if blocked, err := store.DomainBlocked(ctx, in.DB, ap.Host(uri)); err != nil || blocked {
		return Resolved{}, errors.Join(err, fmt.Errorf("%w: %s", ErrBlockedDomain, ap.Host(uri)))
	}
	signer, err := in.fetchSigner(ctx, reader)
	if err != nil {
		return Resolved{}, err
	}
	o, final, err := in.Client.GetActivity(ctx, uri, signer)
	if err != nil {
		return Resolved{}, err
	}
	switch {
	case ap.ActorTypes[o.Type()]:
		i, err := in.FetchIdentity(ctx, o.ID())
		return Resolved{Identity: i}, err
	case ap.PostTypes[o.Type()]:
		if err := ap.SameHost(o.ID(), final); err != nil {
			return Resolved{}, err
		}
		if p, err := store.PostByURI(ctx, in.DB, o.ID()); err != nil || p != nil {
			return Resolved{Post: p}, err
		}
		actor, err := in.IdentityForURI(ctx, o.Ref("attributedTo"))
		if err != nil || actor == nil {
			return Resolved{}, errors.Join(err, fmt.Errorf("the author of %s is unknown", uri))
		}
		if _, err := in.storeRemotePost(ctx, actor, o, 0); err != nil {
			return Resolved{}, err
		}
		p, err := store.PostByURI(ctx, in.DB, o.ID())
		return Resolved{Post: p}, err
	}
	return Resolved{}, nil
}

// SearchPosts finds posts by words that reader may see.
func (in *Instance) SearchPosts(ctx context.Context, reader model.ID, q string, pg store.Page) ([]*model.Post, error) {
	return store.SearchPosts(ctx, in.DB, reader, q, pg)
}
