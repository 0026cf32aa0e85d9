package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// SignUpState is what the email confirmation of a user needs to know.
type SignUpState struct {
	Confirmed bool
	// AppID is the app the user signed up through, 0 when none (created
	// by an administrator, or before apps were recorded).
	AppID model.ID
	// Email is the user's address; Pending the address a confirmation
	// link was last sent to ("" when none is open).
	Email   string
	Pending string
}

// SetSignUpApp records the app a user signed up through, and marks the
// user unconfirmed when they must confirm their address.
func SetSignUpApp(ctx context.Context, db DB, userID, appID model.ID, unconfirmed bool) error {
	var app any
	if appID != 0 {
		app = appID
	}
	_, err := db.Exec(ctx, `UPDATE users SET created_by_app_id = $2,
		confirmed = CASE WHEN $3 THEN NULL ELSE confirmed END, updated = now() WHERE id = $1`, userID, app, unconfirmed)
	if err != nil {
		return fmt.Errorf("store: recording the sign-up of user %d: %w", userID, err)
	}
	return nil
}

// UserSignUpState returns the confirmation state of a user, nil when
// there is no such user.
func UserSignUpState(ctx context.Context, db DB, userID model.ID) (*SignUpState, error) {
	var s SignUpState
	err := db.QueryRow(ctx, `SELECT u.confirmed IS NOT NULL, coalesce(u.created_by_app_id, 0), u.email, coalesce(c.email, '')
		FROM users u LEFT JOIN email_confirmations c ON c.user_id = u.id WHERE u.id = $1`, userID).
		Scan(&s.Confirmed, &s.AppID, &s.Email, &s.Pending)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: sign-up of user %d: %w", userID, err)
	}
	return &s, nil
}

// SaveEmailConfirmation opens the confirmation of email for a user (the
// link's token as its hash), replacing any confirmation open before.
func SaveEmailConfirmation(ctx context.Context, db DB, userID model.ID, tokenHash []byte, email string, expires time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO email_confirmations (user_id, token_hash, email, expires) VALUES ($1, $2, $3, $4)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = $2, email = $3, created = now(), expires = $4`,
		userID, tokenHash, email, expires)
	if err != nil {
		return fmt.Errorf("store: opening the email confirmation of user %d: %w", userID, err)
	}
	return nil
}

// ConfirmEmail closes the confirmation whose token has tokenHash, if it
// has not expired: the address it was sent to becomes the user's, and
// the user is confirmed. It returns the user, 0 when no confirmation
// has that token, and ErrEmailTaken when another user took the address
// meanwhile (nothing changes then).
func ConfirmEmail(ctx context.Context, db DB, tokenHash []byte) (model.ID, error) {
	var id model.ID
	err := db.QueryRow(ctx, `WITH c AS (
			DELETE FROM email_confirmations WHERE token_hash = $1 AND expires > now() RETURNING user_id, email
		)
		UPDATE users u SET confirmed = coalesce(u.confirmed, now()), email = c.email, updated = now()
		FROM c WHERE u.id = c.user_id RETURNING u.id`, tokenHash).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return 0, nil
	case isUniqueViolation(err):
		return 0, ErrEmailTaken
	case err != nil:
		return 0, fmt.Errorf("store: confirming an email address: %w", err)
	}
	return id, nil
}
