package social

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/store"
)

// validUsername is Mastodon's rule: letters, digits and underscores.
var validUsername = regexp.MustCompile(`^[A-Za-z0-9_]{1,30}$`)

// reservedUsernames cannot be taken: they name server paths or roles that
// clients and other servers treat specially.
var reservedUsernames = map[string]bool{
	"actor": true, "inbox": true, "root": true, "postmaster": true, "abuse": true,
	"webmaster": true, "hostmaster": true, "system": true, "__system__": true,
}

// ErrIdentityLimit means the user owns as many identities as allowed.
var ErrIdentityLimit = errors.New("identity limit reached")

// CreateIdentity creates username@domain for the user (or for no user when
// userID is 0), with a fresh RSA-2048 key pair.
func (in *Instance) CreateIdentity(ctx context.Context, userID model.ID, username, domain, name string) (*model.Identity, error) {
	if !validUsername.MatchString(username) || reservedUsernames[username] {
		return nil, fmt.Errorf("identity: %q is not a valid username (letters, digits and _, at most 30, not a reserved name)", username)
	}
	d, err := store.Domain(ctx, in.DB, domain)
	if err != nil {
		return nil, err
	}
	if d == nil || !d.Local {
		return nil, fmt.Errorf("identity: %s is not a domain of this server (add it with pukeko domain add)", domain)
	}
	if userID != 0 && in.MaxIdentities > 0 {
		n, err := store.UserIdentityCount(ctx, in.DB, userID)
		if err != nil {
			return nil, err
		}
		if n >= in.MaxIdentities {
			return nil, fmt.Errorf("%w: the user already has %d identities", ErrIdentityLimit, n)
		}
	}
	key, err := httpsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	i := &model.Identity{
		URI:          in.ActorURI(d, username),
		Local:        true,
		Username:     username,
		Domain:       d.Domain,
		ActorType:    "Person",
		Name:         name,
		URL:          in.ProfileURL(d, username),
		Discoverable: true,
		PublicKey:    httpsig.EncodePublicKeyPEM(&key.PublicKey),
		PrivateKey:   httpsig.EncodePrivateKeyPEM(key),
	}
	fillLocalURIs(i, in.SharedInboxURI(d.URIDomain()))
	if err := store.CreateLocalIdentity(ctx, in.DB, i, userID); err != nil {
		return nil, err
	}
	return i, nil
}

// EnsureSystemIdentity creates the server's own actor on main_domain once.
// It signs fetches, so that servers requiring signed GETs (authorized
// fetch) answer us.
func (in *Instance) EnsureSystemIdentity(ctx context.Context) (*model.Identity, error) {
	if i, err := store.SystemIdentity(ctx, in.DB); err != nil || i != nil {
		return i, err
	}
	key, err := httpsig.GenerateKey()
	if err != nil {
		return nil, err
	}
	i := &model.Identity{
		URI:        in.SystemActorURI(),
		Local:      true,
		ActorType:  "Application",
		Name:       in.MainDomain,
		URL:        in.BaseURL(in.MainDomain) + "/about",
		PublicKey:  httpsig.EncodePublicKeyPEM(&key.PublicKey),
		PrivateKey: httpsig.EncodePrivateKeyPEM(key),
	}
	fillLocalURIs(i, in.SharedInboxURI(in.MainDomain))
	i.InboxURI = i.URI + "/inbox"
	if err := store.CreateLocalIdentity(ctx, in.DB, i, 0); err != nil {
		// Another process created it meanwhile: use theirs.
		if existing, e2 := store.SystemIdentity(ctx, in.DB); e2 == nil && existing != nil {
			return existing, nil
		}
		return nil, err
	}
	return i, nil
}
