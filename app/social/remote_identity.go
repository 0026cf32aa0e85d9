package social

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"strings"
	"time"

	"pukeko/app/ap"
	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/store"
)

// ErrBlockedDomain means the remote server is blocked here.
var ErrBlockedDomain = errors.New("domain is blocked")

// FetchIdentity fetches the actor at uri (signed by the system actor),
// confirms its handle through webfinger, and stores it. The server it lives
// on is recorded too, so that its nodeinfo gets fetched.
func (in *Instance) FetchIdentity(ctx context.Context, uri string) (*model.Identity, error) {
	return in.fetchIdentity(ctx, uri, true)
}

// fetchIdentity fetches uri; when that is not the actor itself but a key
// document or a stub (GoToSocial serves its key ids as a Person without an
// inbox), it follows the owner once, and only once.
func (in *Instance) fetchIdentity(ctx context.Context, uri string, mayFollowOwner bool) (*model.Identity, error) {
	host := ap.Host(uri)
	if blocked, err := store.DomainBlocked(ctx, in.DB, host); err != nil || blocked {
		return nil, errors.Join(err, fmt.Errorf("%w: %s", ErrBlockedDomain, host))
	}
	signer, err := in.systemSigner(ctx)
	if err != nil {
		return nil, err
	}
	o, final, err := in.Client.GetActivity(ctx, uri, signer)
	if err != nil {
		return nil, err
	}
	if owner := ownerOf(o); mayFollowOwner && owner != "" && owner != uri &&
		(!ap.ActorTypes[o.Type()] || o.Ref("inbox") == "" || o.ID() != uri) {
		if err := ap.SameHost(owner, final); err != nil {
			return nil, err
		}
		return in.fetchIdentity(ctx, owner, false)
	}
	i, err := ap.ParseActor(o, final)
	if err != nil {
		return nil, err
	}
	i.Domain = ap.Host(i.URI)
	if i.Username != "" {
		i.Domain = in.confirmHandleDomain(ctx, i)
	}
	for _, h := range []string{ap.Host(i.URI), i.Domain} {
		if _, err := store.EnsureRemoteDomain(ctx, in.DB, h); err != nil {
			return nil, err
		}
	}
	if err := store.SaveRemoteIdentity(ctx, in.DB, i, in.IdentityRefresh); err != nil {
		return nil, fmt.Errorf("storing actor %s: %w", i.URI, err)
	}
	if err := queueProfileMedia(ctx, in.DB, i); err != nil {
		return nil, err
	}
	return i, nil
}

// ownerOf returns who a fetched document belongs to: a key document's
// owner, or the id of an actor document (which may differ from the URL
// fetched when that URL was a key id).
func ownerOf(o ap.Object) string {
	if owner := o.Ref("owner"); owner != "" {
		return owner
	}
	if ap.ActorTypes[o.Type()] {
		if key := o.Embedded("publicKey"); key != nil && key.Ref("owner") != "" {
			return key.Ref("owner")
		}
		return o.ID()
	}
	return ""
}

// confirmHandleDomain returns the domain of an actor's handle: the host of
// its URI, unless webfinger there names another domain (a display domain
// served by a service domain) and that domain's own webfinger confirms it
// points at the same actor. Without the second check any server could
// claim handles on any domain.
func (in *Instance) confirmHandleDomain(ctx context.Context, i *model.Identity) string {
	host := ap.Host(i.URI)
	actor, subject, err := in.Client.Webfinger(ctx, i.Username+"@"+host)
	if err != nil || actor != i.URI {
		return host
	}
	user, domain, ok := SplitHandle(subject)
	if !ok || domain == host {
		return host
	}
	if again, _, err := in.Client.Webfinger(ctx, user+"@"+domain); err != nil || again != i.URI {
		return host
	}
	return domain
}

// ResolveHandle finds user@domain: ours or known, else through webfinger.
func (in *Instance) ResolveHandle(ctx context.Context, handle string) (*model.Identity, error) {
	username, domain, ok := SplitHandle(handle)
	if !ok {
		return nil, fmt.Errorf("%q is not a handle (user@domain)", handle)
	}
	if i, err := store.IdentityByHandle(ctx, in.DB, username, domain); err != nil || (i != nil && (i.Local || i.Fetched != nil)) {
		return i, err
	}
	actor, _, err := in.Client.Webfinger(ctx, username+"@"+domain)
	if err != nil {
		return nil, fmt.Errorf("webfinger %s@%s: %w", username, domain, err)
	}
	return in.FetchIdentity(ctx, actor)
}

// IdentityForURI returns the identity with actor URI uri, fetching it when
// it is unknown.
func (in *Instance) IdentityForURI(ctx context.Context, uri string) (*model.Identity, error) {
	i, err := store.IdentityByURI(ctx, in.DB, uri)
	if err != nil || (i != nil && (i.Local || i.Fetched != nil)) {
		return i, err
	}
	return in.FetchIdentity(ctx, uri)
}

// PublicKey resolves a signature's key id to its public key and owner:
// from the database, or by fetching the owner (always, when refresh is
// set: the key may have been rotated).
func (in *Instance) PublicKey(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, *model.Identity, error) {
	if !refresh {
		if c, ok := in.keys.Load(keyID); ok && time.Since(c.(cachedKey).at) < keyCacheFor {
			return c.(cachedKey).key, c.(cachedKey).owner, nil
		}
	}
	if refresh {
		// A bad signature makes us refetch the signer's key; one refetch a
		// minute per key is plenty, and keeps forged requests from making
		// us fetch on their behalf.
		if last, ok := in.keyRefreshes.Load(keyID); ok && time.Since(last.(time.Time)) < time.Minute {
			return nil, nil, fmt.Errorf("key %s was refetched less than a minute ago", keyID)
		}
		in.keyRefreshes.Store(keyID, time.Now())
	}
	key, owner, err := in.loadPublicKey(ctx, keyID, refresh)
	if err == nil {
		if in.cachedKeys.Add(1) > maxCachedKeys {
			// Hostile servers can mint keys without end: start over rather
			// than grow forever.
			in.keys.Clear()
			in.keyRefreshes.Clear()
			in.cachedKeys.Store(0)
		}
		in.keys.Store(keyID, cachedKey{key: key, owner: owner, at: time.Now()})
	}
	return key, owner, err
}

// maxCachedKeys bounds the key cache.
const maxCachedKeys = 50_000

// keyCacheFor bounds how long a parsed key is reused without looking at
// the database: a key that was rotated is refetched anyway when a
// signature fails to verify.
const keyCacheFor = 5 * time.Minute

type cachedKey struct {
	key   crypto.PublicKey
	owner *model.Identity
	at    time.Time
}

func (in *Instance) loadPublicKey(ctx context.Context, keyID string, refresh bool) (crypto.PublicKey, *model.Identity, error) {
	var owner *model.Identity
	var err error
	if !refresh {
		owner, err = store.IdentityByKeyID(ctx, in.DB, keyID)
		if err != nil {
			return nil, nil, err
		}
	}
	if owner == nil || owner.PublicKey == "" {
		uri, _, _ := strings.Cut(keyID, "#")
		if owner, err = in.FetchIdentity(ctx, uri); err != nil {
			return nil, nil, fmt.Errorf("fetching key %s: %w", keyID, err)
		}
	}
	if owner.PublicKeyID != keyID || ap.SameHost(keyID, owner.URI) != nil {
		return nil, nil, fmt.Errorf("key %s is not the key of %s", keyID, owner.URI)
	}
	key, err := httpsig.ParsePublicKeyPEM(owner.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	return key, owner, nil
}
