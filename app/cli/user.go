package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"pukeko/app/model"
	"pukeko/app/password"
	"pukeko/app/store"
)

func runUserCreate(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("user create", "--email EMAIL [--password-stdin] [--admin] [--moderator]",
		"Create a user account. Without --password-stdin a random password is generated and printed once.", stdio)
	email := fs.String("email", "", "the user's email `address` (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	admin := fs.Bool("admin", false, "make the user an administrator")
	moderator := fs.Bool("moderator", false, "make the user a moderator")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	addr, err := mail.ParseAddress(*email)
	if err != nil || addr.Address != strings.TrimSpace(*email) {
		return fmt.Errorf("user create: --email %q is not an email address: %w", *email, errUsage)
	}

	pw, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdio.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("user create: no password on standard input")
		}
		pw = strings.TrimRight(line, "\r\n")
		if len([]rune(pw)) < password.MinLength {
			return fmt.Errorf("user create: the password must have at least %d characters", password.MinLength)
		}
	} else {
		pw, generated = rand.Text(), true
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}

	s, err := openAdmin(ctx, *path, "user-create", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	u := &model.User{Email: addr.Address, PasswordHash: hash, Admin: *admin, Moderator: *moderator}
	if err := store.CreateUser(ctx, s.db.Pool, u); errors.Is(err, store.ErrEmailTaken) {
		return fmt.Errorf("user create: %s: %w", addr.Address, err)
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "created user %d <%s>", u.ID, u.Email)
	if u.Admin {
		fmt.Fprint(stdio.Stdout, " (admin)")
	}
	fmt.Fprintln(stdio.Stdout)
	if generated {
		fmt.Fprintf(stdio.Stdout, "password: %s\n", pw)
	}
	return nil
}
