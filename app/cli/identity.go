package cli

import (
	"context"
	"fmt"

	"pukeko/app/node"
	"pukeko/app/social"
	"pukeko/app/store"
)

func runIdentityCreate(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("identity create", "--user EMAIL --handle name@domain [--name NAME]",
		"Create an identity (an account others can follow) for a user, on a domain this server serves.", stdio)
	email := fs.String("user", "", "email of the user who owns the identity (required)")
	handle := fs.String("handle", "", "name@domain (required)")
	name := fs.String("name", "", "display name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	username, domain, ok := social.SplitHandle(*handle)
	if !ok || *email == "" {
		return fmt.Errorf("identity create: --user EMAIL and --handle name@domain are required: %w", errUsage)
	}
	s, err := openAdmin(ctx, *path, "identity-create", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := store.UserByEmail(ctx, s.db.Pool, *email)
	if err != nil {
		return err
	}
	if u == nil {
		return fmt.Errorf("identity create: no user with email %s (create one with pukeko user create)", *email)
	}
	in, err := node.NewInstance(s.cfg, s.db.Pool, s.logger, nil)
	if err != nil {
		return err
	}
	i, err := in.CreateIdentity(ctx, u.ID, username, domain, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "created identity @%s (%s)\n", i.Handle(), i.URI)
	return nil
}
