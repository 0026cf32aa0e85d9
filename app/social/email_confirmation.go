package social

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
	"pukeko/app/store"
)

// EmailConfirmationTTL is how long a confirmation link works.
const EmailConfirmationTTL = 48 * time.Hour

// Errors of ResendConfirmation.
var (
	// ErrConfirmationNotYours: the user did not sign up through the
	// asking app (Mastodon lets only that app ask).
	ErrConfirmationNotYours = errors.New("the user did not sign up through this app")
	// ErrAlreadyConfirmed: there is nothing to confirm.
	ErrAlreadyConfirmed = errors.New("the email address is confirmed already")
	// ErrEmailInvalid: the new address is no email address.
	ErrEmailInvalid = errors.New("invalid email address")
)

// SignUp is a sign-up through an app.
type SignUp struct {
	Email, Password, Username string
	Domain                    string   // the local domain signed up on
	AppID                     model.ID // the app signing the user up
}

// ConfirmsEmail reports whether users who sign up confirm their email
// address first (email configured and signup.confirm_email).
func (in *Instance) ConfirmsEmail() bool { return in.Mail.Enabled() && in.Mail.ConfirmSignups }

// SignUp registers a user as Register does, recording the app, and when
// the server confirms email addresses leaves the user unconfirmed and
// sends the confirmation link. The user is marked unconfirmed before the
// link is queued, so that a failure in between never leaves an
// unconfirmed address usable; the app may then ask for the link again.
func (in *Instance) SignUp(ctx context.Context, s SignUp) (*model.User, *model.Identity, error) {
	u, i, err := in.Register(ctx, s.Email, s.Password, s.Username, s.Domain)
	if err != nil {
		return nil, nil, err
	}
	confirm := in.ConfirmsEmail()
	if err := store.SetSignUpApp(ctx, in.DB, u.ID, s.AppID, confirm); err != nil {
		return nil, nil, err
	}
	if confirm {
		u.Unconfirmed = true
		if err := in.sendConfirmation(ctx, u.ID, s.Email, i.Username, s.Domain); err != nil {
			return nil, nil, err
		}
	}
	return u, i, nil
}

// ResendConfirmation sends the confirmation link of a user again, as
// their app asks (appID), to newEmail when not empty (the address then
// replaces the user's once confirmed). username and domain name the
// account in the message; the link points to domain.
func (in *Instance) ResendConfirmation(ctx context.Context, userID, appID model.ID, newEmail, username, domain string) error {
	st, err := store.UserSignUpState(ctx, in.DB, userID)
	if err != nil {
		return err
	}
	if st == nil || st.AppID == 0 || st.AppID != appID {
		return ErrConfirmationNotYours
	}
	if st.Confirmed {
		return ErrAlreadyConfirmed
	}
	to := st.Pending
	if to == "" {
		to = st.Email
	}
	if newEmail = strings.TrimSpace(newEmail); newEmail != "" {
		if !ValidEmail(newEmail) {
			return ErrEmailInvalid
		}
		other, err := store.UserByEmail(ctx, in.DB, newEmail)
		if err != nil {
			return err
		}
		if other != nil && other.ID != userID {
			return store.ErrEmailTaken
		}
		to = newEmail
	}
	return in.sendConfirmation(ctx, userID, to, username, domain)
}

// ValidEmail reports whether s is a plain email address with a dot in
// its domain, as sign-ups take them.
func ValidEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(s[strings.LastIndexByte(s, '@'):], ".")
}

// ConfirmEmail opens a confirmation link: the user of its token is
// confirmed, with the address the link was sent to. It reports false for
// a token unknown, used or expired.
func (in *Instance) ConfirmEmail(ctx context.Context, token string) (bool, error) {
	if token == "" {
		return false, nil
	}
	sum := sha256.Sum256([]byte(token))
	id, err := store.ConfirmEmail(ctx, in.DB, sum[:])
	if errors.Is(err, store.ErrEmailTaken) {
		return false, nil
	}
	return id != 0, err
}

// confirmationMail is what the confirmation message says.
type confirmationMail struct {
	SiteName, Domain, Username, Email, Link string
	Hours                                   int
}

// sendConfirmation opens a new confirmation of email for a user and
// queues the message with its link, in one transaction.
func (in *Instance) sendConfirmation(ctx context.Context, userID model.ID, email, username, domain string) error {
	if in.Mail == nil {
		return errors.New("social: email is not configured")
	}
	var raw [32]byte
	rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	sum := sha256.Sum256([]byte(token))
	site := domain
	if d, err := store.LocalDomainByHost(ctx, in.DB, domain); err != nil {
		return err
	} else if d != nil && d.SiteName != "" {
		site = d.SiteName
	}
	data := confirmationMail{SiteName: site, Domain: domain, Username: username, Email: email,
		Link:  in.BaseURL(domain) + "/auth/confirmation?confirmation_token=" + url.QueryEscape(token),
		Hours: int(EmailConfirmationTTL / time.Hour)}
	err := pgx.BeginFunc(ctx, in.DB, func(tx pgx.Tx) error {
		if err := store.SaveEmailConfirmation(ctx, tx, userID, sum[:], email, time.Now().Add(EmailConfirmationTTL)); err != nil {
			return err
		}
		return in.Mail.Queue(ctx, tx, email, "confirmation", data)
	})
	if err != nil {
		return fmt.Errorf("social: sending the confirmation of user %d: %w", userID, err)
	}
	return nil
}
