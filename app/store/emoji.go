package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const emojiColumns = `em.id, em.shortcode, em.domain, em.image_url, em.media_type, em.visible_in_picker, em.uri, em.created, em.updated`

func collectEmoji(rows pgx.Rows, err error) ([]*model.Emoji, error) {
	if err != nil {
		return nil, fmt.Errorf("store: emoji: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Emoji, error) {
		var e model.Emoji
		err := row.Scan(&e.ID, &e.Shortcode, &e.Domain, &e.ImageURL, &e.MediaType, &e.VisibleInPicker, &e.URI, &e.Created, &e.Updated)
		return &e, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: emoji: %w", err)
	}
	return out, nil
}

// SaveEmoji creates an emoji, or updates the one with its shortcode and
// domain (image, media type, URI; the picker flag only for local ones),
// and sets e.ID to the stored row's id.
func SaveEmoji(ctx context.Context, db DB, e *model.Emoji) error {
	err := db.QueryRow(ctx, `INSERT INTO emoji (id, shortcode, domain, image_url, media_type, visible_in_picker, uri)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (shortcode, domain) DO UPDATE SET image_url = EXCLUDED.image_url, media_type = EXCLUDED.media_type,
			uri = EXCLUDED.uri, updated = now(),
			visible_in_picker = CASE WHEN emoji.domain = '' THEN EXCLUDED.visible_in_picker ELSE emoji.visible_in_picker END
		RETURNING id`, model.NewID(), e.Shortcode, e.Domain, e.ImageURL, e.MediaType, e.VisibleInPicker, e.URI).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: saving emoji :%s: of %q: %w", e.Shortcode, e.Domain, err)
	}
	return nil
}

// EmojiByShortcodes returns the emoji of domain ("" for ours) with the
// given shortcodes, those that exist.
func EmojiByShortcodes(ctx context.Context, db DB, domain string, shortcodes []string) ([]*model.Emoji, error) {
	if len(shortcodes) == 0 {
		return nil, nil
	}
	return collectEmoji(db.Query(ctx, `SELECT `+emojiColumns+` FROM emoji em WHERE em.domain = $1 AND em.shortcode = ANY ($2)
		ORDER BY em.shortcode`, domain, shortcodes))
}

// SetPostEmoji makes ids the emoji a post uses (replacing earlier ones).
func SetPostEmoji(ctx context.Context, db DB, postID model.ID, ids []model.ID) error {
	_, err := db.Exec(ctx, `WITH gone AS (
			DELETE FROM post_emoji WHERE post_id = $1 AND NOT emoji_id = ANY ($2)
		)
		INSERT INTO post_emoji (post_id, emoji_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
		postID, int64s(ids))
	if err != nil {
		return fmt.Errorf("store: emoji of post %d: %w", postID, err)
	}
	return nil
}

// PostEmoji returns the emoji a post uses, by shortcode.
func PostEmoji(ctx context.Context, db DB, postID model.ID) ([]*model.Emoji, error) {
	return collectEmoji(db.Query(ctx, `SELECT `+emojiColumns+` FROM post_emoji pe JOIN emoji em ON em.id = pe.emoji_id
		WHERE pe.post_id = $1 ORDER BY em.shortcode`, postID))
}

// SaveLocalEmoji creates or replaces one of our emoji: its image (file
// key and address), the domain it is offered on ("" for every local
// domain), category and picker flag.
func SaveLocalEmoji(ctx context.Context, db DB, e *model.Emoji, fileKey, localDomain, category string) error {
	err := db.QueryRow(ctx, `INSERT INTO emoji (id, shortcode, domain, image_url, media_type, visible_in_picker, file_key, local_domain, category)
		VALUES ($1, $2, '', $3, $4, $5, $6, nullif($7, ''), $8)
		ON CONFLICT (shortcode, domain) DO UPDATE SET image_url = EXCLUDED.image_url, media_type = EXCLUDED.media_type,
			visible_in_picker = EXCLUDED.visible_in_picker, file_key = EXCLUDED.file_key,
			local_domain = EXCLUDED.local_domain, category = EXCLUDED.category, updated = now()
		RETURNING id`, model.NewID(), e.Shortcode, e.ImageURL, e.MediaType, e.VisibleInPicker, fileKey, localDomain, category).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: saving emoji :%s:: %w", e.Shortcode, err)
	}
	return nil
}

// DeleteLocalEmoji deletes one of our emoji; its file follows through the
// media_files graph.
func DeleteLocalEmoji(ctx context.Context, db DB, shortcode string) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM emoji WHERE shortcode = $1 AND domain = ''`, shortcode)
	if err != nil {
		return false, fmt.Errorf("store: deleting emoji :%s:: %w", shortcode, err)
	}
	return tag.RowsAffected() == 1, nil
}

// LocalEmoji lists our emoji offered on domain (theirs and those of every
// domain), by shortcode; domain "" lists all.
func LocalEmoji(ctx context.Context, db DB, domain string) ([]*model.Emoji, error) {
	return collectEmoji(db.Query(ctx, `SELECT `+emojiColumns+` FROM emoji em WHERE em.domain = ''
		AND ($1 = '' OR em.local_domain IS NULL OR em.local_domain = $1) ORDER BY em.shortcode`, domain))
}
