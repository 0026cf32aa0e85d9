package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/model"
)

// ErrEmailTaken means another user already has that email address
// (compared case-insensitively).
var ErrEmailTaken = errors.New("a user with this email already exists")

// CreateUser inserts u, giving it a new ID when it has none.
func CreateUser(ctx context.Context, db *pgxpool.Pool, u *model.User) error {
	if u.ID == 0 {
		u.ID = model.NewID()
	}
	err := db.QueryRow(ctx,
		`INSERT INTO users (id, email, password_hash, admin, moderator, banned)
		 VALUES ($1, $2, $3, $4, $5, $6) RETURNING created`,
		u.ID, u.Email, u.PasswordHash, u.Admin, u.Moderator, u.Banned).Scan(&u.Created)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("store: unable to create user %s: %w", u.Email, err)
	}
	return nil
}

// UserByEmail finds a user by email, case-insensitively; nil when none.
func UserByEmail(ctx context.Context, db *pgxpool.Pool, email string) (*model.User, error) {
	var u model.User
	err := db.QueryRow(ctx,
		`SELECT id, email, password_hash, admin, moderator, banned, created
		 FROM users WHERE lower(email) = lower($1)`, email).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.Moderator, &u.Banned, &u.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to find user %s: %w", email, err)
	}
	return &u, nil
}
