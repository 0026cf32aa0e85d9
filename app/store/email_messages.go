package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// EmailMessage is an email waiting for the SMTP server, or sent.
type EmailMessage struct {
	ID        model.ID
	Recipient string
	Subject   string
	Text      string
	HTML      string
	State     string
	Created   time.Time
}

// QueueEmail inserts m, in state new, giving it an id.
func QueueEmail(ctx context.Context, db DB, m *EmailMessage) error {
	m.ID = model.NewID()
	err := db.QueryRow(ctx, `INSERT INTO email_messages (id, recipient, subject, text_body, html_body)
		VALUES ($1, $2, $3, $4, $5) RETURNING state, created`, m.ID, m.Recipient, m.Subject, m.Text, m.HTML).
		Scan(&m.State, &m.Created)
	if err != nil {
		return fmt.Errorf("store: queueing email to %s: %w", m.Recipient, err)
	}
	return nil
}

// EmailMessageByID returns a queued email, nil when there is none.
func EmailMessageByID(ctx context.Context, db DB, id int64) (*EmailMessage, error) {
	var m EmailMessage
	err := db.QueryRow(ctx, `SELECT id, recipient, subject, text_body, html_body, state, created
		FROM email_messages WHERE id = $1`, id).Scan(&m.ID, &m.Recipient, &m.Subject, &m.Text, &m.HTML, &m.State, &m.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: email %d: %w", id, err)
	}
	return &m, nil
}

// ForgetEmailBodies blanks the bodies of an email that is done with: they
// may hold links that must not outlive their use.
func ForgetEmailBodies(ctx context.Context, db DB, id int64) error {
	if _, err := db.Exec(ctx, `UPDATE email_messages SET text_body = '', html_body = '' WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: forgetting the bodies of email %d: %w", id, err)
	}
	return nil
}
