package store

import (
	"context"
	"fmt"

	"pukeko/app/model"
)

// LocalPostByAddress finds one of our posts by its id (URI) or its web
// address, nil when none.
func LocalPostByAddress(ctx context.Context, db DB, address string) (*model.Post, error) {
	p, err := scanPost(db.QueryRow(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.local AND (p.uri = $1 OR p.url = $1) LIMIT 1`, address))
	if err != nil {
		return nil, fmt.Errorf("store: post at %s: %w", address, err)
	}
	return p, nil
}
