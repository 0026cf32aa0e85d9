package store

import (
	"context"
	"fmt"

	"pukeko/app/model"
)

// InboxMessage is a verified activity waiting to be processed.
type InboxMessage struct {
	ID           model.ID
	ActivityID   string
	ActivityType string
	ActorURI     string
	KeyID        string
	RecipientID  model.ID // the identity whose own inbox received it; 0 for the shared inbox
	Body         []byte
}

// InsertInboxMessage stores a received activity for Stator to process.
func InsertInboxMessage(ctx context.Context, db DB, m *InboxMessage) error {
	if m.ID == 0 {
		m.ID = model.NewID()
	}
	var recipient any
	if m.RecipientID != 0 {
		recipient = m.RecipientID
	}
	_, err := db.Exec(ctx, `INSERT INTO inbox_messages (id, activity_id, activity_type, actor_uri, key_id, recipient_id, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.ID, m.ActivityID, m.ActivityType, m.ActorURI, m.KeyID, recipient, m.Body)
	if err != nil {
		return fmt.Errorf("store: storing inbox message: %w", err)
	}
	return nil
}

// InboxMessageByID loads a message, or nil.
func InboxMessageByID(ctx context.Context, db DB, id int64) (*InboxMessage, error) {
	var m InboxMessage
	var recipient *int64
	err := db.QueryRow(ctx, `SELECT id, activity_id, activity_type, actor_uri, key_id, recipient_id, body
		FROM inbox_messages WHERE id = $1`, id).Scan(&m.ID, &m.ActivityID, &m.ActivityType, &m.ActorURI, &m.KeyID, &recipient, &m.Body)
	if err != nil {
		return nil, fmt.Errorf("store: inbox message %d: %w", id, err)
	}
	if recipient != nil {
		m.RecipientID = model.ID(*recipient)
	}
	return &m, nil
}

// SetInboxResult records what processing a message did (for operators).
func SetInboxResult(ctx context.Context, db DB, id int64, result string) error {
	_, err := db.Exec(ctx, "UPDATE inbox_messages SET result = $2 WHERE id = $1", id, result)
	return err
}

// EarlierInboxMessage reports whether an older message from the same actor
// is still waiting to be processed.
func EarlierInboxMessage(ctx context.Context, db DB, actorURI string, id model.ID) (bool, error) {
	var earlier bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbox_messages
		WHERE actor_uri = $1 AND id < $2 AND state = 'received')`, actorURI, id).Scan(&earlier)
	return earlier, err
}
