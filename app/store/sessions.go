package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// CreateWebSession inserts a browser session, giving it a new ID when it
// has none.
func CreateWebSession(ctx context.Context, db DB, s *model.WebSession) error {
	if s.ID == 0 {
		s.ID = model.NewID()
	}
	err := db.QueryRow(ctx, `INSERT INTO web_sessions (id, token_hash, user_id, expires, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING created, last_seen`,
		s.ID, s.TokenHash, s.UserID, s.Expires, s.IP, s.UserAgent).Scan(&s.Created, &s.LastSeen)
	if err != nil {
		return fmt.Errorf("store: unable to create a session for user %d: %w", s.UserID, err)
	}
	return nil
}

// WebSessionUser returns the unexpired session with that hash and its user
// (without the password hash), or nil, nil. Banned users are returned: the
// caller decides what they may still see.
func WebSessionUser(ctx context.Context, db DB, hash []byte) (*model.WebSession, *model.User, error) {
	var s model.WebSession
	var u model.User
	err := db.QueryRow(ctx, `SELECT s.id, s.token_hash, s.user_id, s.created, s.last_seen, s.expires, s.ip, s.user_agent,
		u.id, u.email, u.admin, u.moderator, u.banned, u.created
		FROM web_sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires > now()`, hash).
		Scan(&s.ID, &s.TokenHash, &s.UserID, &s.Created, &s.LastSeen, &s.Expires, &s.IP, &s.UserAgent,
			&u.ID, &u.Email, &u.Admin, &u.Moderator, &u.Banned, &u.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to look up a session: %w", err)
	}
	return &s, &u, nil
}

// TouchWebSession records that a session was seen, at most once a minute.
func TouchWebSession(ctx context.Context, db DB, id model.ID) error {
	_, err := db.Exec(ctx, `UPDATE web_sessions SET last_seen = now()
		WHERE id = $1 AND last_seen < now() - interval '1 minute'`, id)
	if err != nil {
		return fmt.Errorf("store: unable to touch session %d: %w", id, err)
	}
	return nil
}

// DeleteWebSession ends the session with that hash (logging out).
func DeleteWebSession(ctx context.Context, db DB, hash []byte) error {
	if _, err := db.Exec(ctx, "DELETE FROM web_sessions WHERE token_hash = $1", hash); err != nil {
		return fmt.Errorf("store: unable to delete a session: %w", err)
	}
	return nil
}

// DeleteExpiredWebSessions removes sessions past their expiry.
func DeleteExpiredWebSessions(ctx context.Context, db DB) (int64, error) {
	tag, err := db.Exec(ctx, "DELETE FROM web_sessions WHERE expires <= now()")
	if err != nil {
		return 0, fmt.Errorf("store: unable to delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// loginWindowStart is the start of the current fixed window of a given
// length in seconds ($2), by the database's clock so that every process
// agrees on it.
const loginWindowStart = `to_timestamp(floor(extract(epoch FROM now())::float8 / $2::float8) * $2::float8)`

// LoginFailures returns how many failed logins key has in the current
// window of length window.
func LoginFailures(ctx context.Context, db DB, key string, window time.Duration) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT coalesce(max(count), 0) FROM login_attempts
		WHERE key = $1 AND window_start = `+loginWindowStart, key, window.Seconds()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to count login attempts: %w", err)
	}
	return n, nil
}

// RecordLoginFailure counts one failed login for key in the current window
// and returns the new count.
func RecordLoginFailure(ctx context.Context, db DB, key string, window time.Duration) (int, error) {
	var n int
	err := db.QueryRow(ctx, `INSERT INTO login_attempts (key, window_start, count) VALUES ($1, `+loginWindowStart+`, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET count = login_attempts.count + 1
		RETURNING count`, key, window.Seconds()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unable to record a login attempt: %w", err)
	}
	return n, nil
}

// DeleteOldLoginAttempts removes counters of windows that began before
// cutoff.
func DeleteOldLoginAttempts(ctx context.Context, db DB, cutoff time.Time) (int64, error) {
	tag, err := db.Exec(ctx, "DELETE FROM login_attempts WHERE window_start < $1", cutoff)
	if err != nil {
		return 0, fmt.Errorf("store: unable to delete old login attempts: %w", err)
	}
	return tag.RowsAffected(), nil
}
