package social

import (
	"context"
	"fmt"

	"pukeko/app/federation"
	"pukeko/app/httpsig"
	"pukeko/app/model"
	"pukeko/app/store"
)

// signerFor returns the signer of a local identity, parsing its key once.
func (in *Instance) signerFor(i *model.Identity) (*federation.Signer, error) {
	if s, ok := in.signers.Load(i.ID); ok {
		return s.(*federation.Signer), nil
	}
	key, err := httpsig.ParsePrivateKeyPEM(i.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("identity %s: private key: %w", i.URI, err)
	}
	s := &federation.Signer{KeyID: i.PublicKeyID, Key: key}
	in.signers.Store(i.ID, s)
	return s, nil
}

// systemSigner returns the signer of the server's own actor, which signs
// every fetch.
func (in *Instance) systemSigner(ctx context.Context) (*federation.Signer, error) {
	sys, err := store.SystemIdentity(ctx, in.DB)
	if err != nil {
		return nil, err
	}
	if sys == nil {
		if sys, err = in.EnsureSystemIdentity(ctx); err != nil {
			return nil, err
		}
	}
	return in.signerFor(sys)
}

// signerByID returns the signer of a local identity by id, from the cache
// when the key was parsed before.
func (in *Instance) signerByID(ctx context.Context, id model.ID) (*federation.Signer, error) {
	if s, ok := in.signers.Load(id); ok {
		return s.(*federation.Signer), nil
	}
	i, err := store.IdentityByID(ctx, in.DB, id)
	if err != nil {
		return nil, err
	}
	if i == nil || i.PrivateKey == "" {
		return nil, fmt.Errorf("identity %d is gone or has no key", id)
	}
	return in.signerFor(i)
}

// fetchSigner returns the signer for a fetch made on behalf of reader: the
// reader's own key when it is a local identity with one, else the server
// actor's.
func (in *Instance) fetchSigner(ctx context.Context, reader model.ID) (*federation.Signer, error) {
	if reader != 0 {
		if i, err := store.IdentityByID(ctx, in.DB, reader); err != nil {
			return nil, err
		} else if i != nil && i.Local && i.PrivateKey != "" && i.Deleted == nil {
			return in.signerFor(i)
		}
	}
	return in.systemSigner(ctx)
}
