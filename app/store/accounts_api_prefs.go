package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// Preferences are a local identity's posting defaults and reading
// preferences (Mastodon's GET /api/v1/preferences).
type Preferences struct {
	DefaultVisibility string // public, unlisted, private or direct
	DefaultSensitive  bool
	DefaultLanguage   string // ISO 639 code, "" for none
	ExpandMedia       string // default, show_all or hide_all
	ExpandSpoilers    bool
	AutoplayGifs      bool
}

// DefaultPreferences are Mastodon's defaults, for identities that never
// changed theirs.
var DefaultPreferences = Preferences{DefaultVisibility: model.VisibilityPublic, ExpandMedia: "default"}

// IdentityPreferences returns an identity's preferences (the defaults
// when it has none). POST /api/v1/statuses takes DefaultVisibility,
// DefaultSensitive and DefaultLanguage from here when the client sends
// none.
func IdentityPreferences(ctx context.Context, db DB, identity model.ID) (Preferences, error) {
	p := DefaultPreferences
	err := db.QueryRow(ctx, `SELECT default_visibility, default_sensitive, default_language, expand_media,
		expand_spoilers, autoplay_gifs FROM identity_preferences WHERE identity_id = $1`, identity).Scan(
		&p.DefaultVisibility, &p.DefaultSensitive, &p.DefaultLanguage, &p.ExpandMedia, &p.ExpandSpoilers, &p.AutoplayGifs)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("store: preferences of %d: %w", identity, err)
	}
	return p, nil
}

// SavePreferences writes an identity's preferences.
func SavePreferences(ctx context.Context, db DB, identity model.ID, p Preferences) error {
	_, err := db.Exec(ctx, `INSERT INTO identity_preferences (identity_id, default_visibility, default_sensitive,
			default_language, expand_media, expand_spoilers, autoplay_gifs)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (identity_id) DO UPDATE SET default_visibility = excluded.default_visibility,
			default_sensitive = excluded.default_sensitive, default_language = excluded.default_language,
			expand_media = excluded.expand_media, expand_spoilers = excluded.expand_spoilers,
			autoplay_gifs = excluded.autoplay_gifs, updated = now()`,
		identity, p.DefaultVisibility, p.DefaultSensitive, p.DefaultLanguage, p.ExpandMedia, p.ExpandSpoilers, p.AutoplayGifs)
	if err != nil {
		return fmt.Errorf("store: saving preferences of %d: %w", identity, err)
	}
	return nil
}
