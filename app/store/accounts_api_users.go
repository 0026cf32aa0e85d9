package store

import (
	"context"
	"fmt"

	"pukeko/app/model"
)

// DeleteUser removes a user row (and its links to identities): undoing a
// registration that could not finish.
func DeleteUser(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, "DELETE FROM users WHERE id = $1", id); err != nil {
		return fmt.Errorf("store: deleting user %d: %w", id, err)
	}
	return nil
}
