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
	// A key URI may name a separate key document: follow it to its owner.
	if o.Type() != "" && !ap.ActorTypes[o.Type()] && o.Ref("owner") != "" && o.Ref("owner") != uri {
		return in.FetchIdentity(ctx, o.Ref("owner"))
	}
	i, err := ap.ParseActor(o, final)
	if err != nil {
		return nil, err
	}
	i.Domain = ap.Host(i.URI)
	if i.Username != "" {
		// The handle's domain is what webfinger says, which may differ from
		// the host of the actor URI (a service domain).
		if actor, subject, err := in.Client.Webfinger(ctx, i.Username+"@"+i.Domain); err == nil && actor == i.URI {
			if _, d, ok := SplitHandle(subject); ok {
				i.Domain = d
			}
		}
	}
	for _, h := range []string{ap.Host(i.URI), i.Domain} {
		if _, err := store.EnsureRemoteDomain(ctx, in.DB, h); err != nil {
			return nil, err
		}
	}
	if err := store.SaveRemoteIdentity(ctx, in.DB, i, in.IdentityRefresh); err != nil {
		return nil, fmt.Errorf("storing actor %s: %w", i.URI, err)
	}
	return i, nil
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
	key, owner, err := in.loadPublicKey(ctx, keyID, refresh)
	if err == nil {
		in.keys.Store(keyID, cachedKey{key: key, owner: owner, at: time.Now()})
	}
	return key, owner, err
}

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
	if owner.PublicKeyID != keyID {
		return nil, nil, fmt.Errorf("key %s is not the key of %s", keyID, owner.URI)
	}
	key, err := httpsig.ParsePublicKeyPEM(owner.PublicKey)
	if err != nil {
		return nil, nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	return key, owner, nil
}
