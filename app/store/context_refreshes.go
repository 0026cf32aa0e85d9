package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const contextRefreshColumns = `id, post_id, result_count, state, state_changed`

func scanContextRefresh(row pgx.Row) (*model.ContextRefresh, error) {
	var r model.ContextRefresh
	err := row.Scan(&r.ID, &r.PostID, &r.ResultCount, &r.State, &r.StateChanged)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// StartContextRefresh starts a refresh of a post's replies in state
// running: a new one, or the post's finished one again when it finished
// more than cooldown ago. It returns the refresh started, or nil when one
// runs already or finished too recently.
func StartContextRefresh(ctx context.Context, db DB, postID model.ID, running, finished string, cooldown time.Duration) (*model.ContextRefresh, error) {
	r, err := scanContextRefresh(db.QueryRow(ctx, `INSERT INTO context_refreshes (id, post_id, state) VALUES ($1, $2, $3)
		ON CONFLICT (post_id) DO UPDATE SET state = excluded.state, result_count = 0, state_changed = now(),
			state_attempts = 0, state_error = NULL, state_locked_until = NULL, state_next_attempt = now()
		WHERE context_refreshes.state = $4 AND context_refreshes.state_changed < now() - $5 * interval '1 second'
		RETURNING `+contextRefreshColumns, model.NewID(), postID, running, finished, cooldown.Seconds()))
	if err != nil {
		return nil, fmt.Errorf("store: starting a refresh of the replies of %d: %w", postID, err)
	}
	return r, nil
}

// ContextRefreshByPost returns the refresh of a post's replies, nil when
// none.
func ContextRefreshByPost(ctx context.Context, db DB, postID model.ID) (*model.ContextRefresh, error) {
	r, err := scanContextRefresh(db.QueryRow(ctx, `SELECT `+contextRefreshColumns+` FROM context_refreshes WHERE post_id = $1`, postID))
	if err != nil {
		return nil, fmt.Errorf("store: the refresh of the replies of %d: %w", postID, err)
	}
	return r, nil
}

// ContextRefreshByID returns a refresh, nil when none.
func ContextRefreshByID(ctx context.Context, db DB, id model.ID) (*model.ContextRefresh, error) {
	r, err := scanContextRefresh(db.QueryRow(ctx, `SELECT `+contextRefreshColumns+` FROM context_refreshes WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: context refresh %d: %w", id, err)
	}
	return r, nil
}

// CountContextRefreshResult adds one post stored to a refresh.
func CountContextRefreshResult(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, `UPDATE context_refreshes SET result_count = result_count + 1 WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: counting a result of context refresh %d: %w", id, err)
	}
	return nil
}
