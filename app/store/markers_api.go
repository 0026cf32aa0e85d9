package store

import (
	"context"
	"fmt"
	"time"

	"pukeko/app/model"
)

// Marker timelines.
const (
	MarkerHome          = "home"
	MarkerNotifications = "notifications"
)

// Marker is where an identity stopped reading a timeline.
type Marker struct {
	Timeline   string
	LastReadID model.ID
	Version    int
	Updated    time.Time
}

// Markers returns an identity's markers of the timelines asked for (those
// never set are left out).
func Markers(ctx context.Context, db DB, identityID model.ID, timelines []string) (map[string]*Marker, error) {
	out := map[string]*Marker{}
	if len(timelines) == 0 {
		return out, nil
	}
	rows, err := db.Query(ctx, `SELECT timeline, last_read_id, version, updated FROM markers
		WHERE identity_id = $1 AND timeline = ANY ($2::text[])`, identityID, timelines)
	if err != nil {
		return nil, fmt.Errorf("store: markers of %d: %w", identityID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var m Marker
		if err := rows.Scan(&m.Timeline, &m.LastReadID, &m.Version, &m.Updated); err != nil {
			return nil, fmt.Errorf("store: markers of %d: %w", identityID, err)
		}
		out[m.Timeline] = &m
	}
	return out, rows.Err()
}

// SaveMarker sets an identity's marker of a timeline, counting the
// version up, and returns it.
func SaveMarker(ctx context.Context, db DB, identityID model.ID, timeline string, lastRead model.ID) (*Marker, error) {
	m := Marker{Timeline: timeline}
	err := db.QueryRow(ctx, `INSERT INTO markers (identity_id, timeline, last_read_id) VALUES ($1, $2, $3)
		ON CONFLICT (identity_id, timeline) DO UPDATE SET last_read_id = $3, version = markers.version + 1, updated = now()
		RETURNING last_read_id, version, updated`, identityID, timeline, lastRead).Scan(&m.LastReadID, &m.Version, &m.Updated)
	if err != nil {
		return nil, fmt.Errorf("store: saving %s marker of %d: %w", timeline, identityID, err)
	}
	return &m, nil
}
