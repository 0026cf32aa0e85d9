package social

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"pukeko/app/model"
	"pukeko/app/password"
	"pukeko/app/store"
)

// Registration problems with a username (Mastodon's error codes tell them
// apart for clients).
var (
	ErrUsernameInvalid  = errors.New("username invalid")
	ErrUsernameReserved = errors.New("username reserved")
	ErrUsernameTaken    = errors.New("username taken")
)

// CheckUsername tells whether username may be registered on a local
// domain: nil, or one of the ErrUsername errors.
func (in *Instance) CheckUsername(ctx context.Context, username, domain string) error {
	if !validUsername.MatchString(username) {
		return ErrUsernameInvalid
	}
	if reservedUsernames[strings.ToLower(username)] {
		return ErrUsernameReserved
	}
	i, err := store.IdentityByHandle(ctx, in.DB, username, domain)
	if err != nil {
		return err
	}
	if i != nil {
		return ErrUsernameTaken
	}
	return nil
}

// Register creates a user who signed up through the client API, with one
// identity, username@domain. The caller checks the domain's signup policy
// and the fields; a username taken meanwhile fails with ErrUsernameTaken
// and leaves no user behind.
func (in *Instance) Register(ctx context.Context, email, pw, username, domain string) (*model.User, *model.Identity, error) {
	if err := in.CheckUsername(ctx, username, domain); err != nil {
		return nil, nil, err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return nil, nil, err
	}
	u := &model.User{Email: email, PasswordHash: hash}
	if err := store.CreateUser(ctx, in.DB, u); err != nil {
		return nil, nil, err
	}
	i, err := in.CreateIdentity(ctx, u.ID, username, domain, "")
	if err != nil {
		if derr := store.DeleteUser(ctx, in.DB, u.ID); derr != nil {
			in.Logger.Error("social: removing a half-registered user", "user", u.ID, "error", derr)
		}
		if errors.Is(err, store.ErrHandleTaken) {
			return nil, nil, ErrUsernameTaken
		}
		return nil, nil, fmt.Errorf("registering %s@%s: %w", username, domain, err)
	}
	return u, i, nil
}
