package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const attachmentColumns = `a.id, coalesce(a.owner_id, 0), coalesce(a.post_id, 0), a.position, a.local, a.kind, a.content_type,
	a.remote_url, a.file_key, a.thumbnail_key, a.upload_key, a.file_size, a.width, a.height, a.thumbnail_width,
	a.thumbnail_height, a.duration, a.blurhash, a.focus_x, a.focus_y, a.description, a.created, a.updated, a.state`

func scanAttachment(row pgx.Row) (*model.Attachment, error) {
	var a model.Attachment
	err := row.Scan(&a.ID, &a.OwnerID, &a.PostID, &a.Position, &a.Local, &a.Kind, &a.ContentType,
		&a.RemoteURL, &a.FileKey, &a.ThumbnailKey, &a.UploadKey, &a.FileSize, &a.Width, &a.Height, &a.ThumbnailWidth,
		&a.ThumbnailHeight, &a.Duration, &a.Blurhash, &a.FocusX, &a.FocusY, &a.Description, &a.Created, &a.Updated, &a.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &a, err
}

func collectAttachments(rows pgx.Rows, err error) ([]*model.Attachment, error) {
	if err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	defer rows.Close()
	var out []*model.Attachment
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: attachments: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	return out, nil
}

// InsertAttachment stores a new attachment in state.
func InsertAttachment(ctx context.Context, db DB, a *model.Attachment, state string) error {
	_, err := db.Exec(ctx, `INSERT INTO media_attachments (id, owner_id, post_id, position, local, kind, content_type,
		remote_url, file_key, thumbnail_key, upload_key, file_size, width, height, thumbnail_width, thumbnail_height,
		duration, blurhash, focus_x, focus_y, description, state)
		VALUES ($1, nullif($2::bigint, 0), nullif($3::bigint, 0), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)`,
		a.ID, a.OwnerID, a.PostID, a.Position, a.Local, a.Kind, a.ContentType,
		a.RemoteURL, a.FileKey, a.ThumbnailKey, a.UploadKey, a.FileSize, a.Width, a.Height, a.ThumbnailWidth, a.ThumbnailHeight,
		a.Duration, a.Blurhash, a.FocusX, a.FocusY, a.Description, state)
	if err != nil {
		return fmt.Errorf("store: inserting attachment %d: %w", a.ID, err)
	}
	a.State = state
	return nil
}

// AttachmentByID loads one attachment, nil when absent.
func AttachmentByID(ctx context.Context, db DB, id model.ID) (*model.Attachment, error) {
	a, err := scanAttachment(db.QueryRow(ctx, `SELECT `+attachmentColumns+` FROM media_attachments a WHERE a.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: attachment %d: %w", id, err)
	}
	return a, nil
}

// AttachmentsByIDs loads attachments in the order of ids; absent ones are
// left out.
func AttachmentsByIDs(ctx context.Context, db DB, ids []model.ID) ([]*model.Attachment, error) {
	return collectAttachments(db.Query(ctx, `SELECT `+attachmentColumns+`
		FROM unnest($1::bigint[]) WITH ORDINALITY AS w(id, n) JOIN media_attachments a ON a.id = w.id ORDER BY w.n`,
		int64s(ids)))
}

// PostAttachments loads the attachments of posts, in their order, by post.
func PostAttachments(ctx context.Context, db DB, postIDs []model.ID) (map[model.ID][]*model.Attachment, error) {
	all, err := collectAttachments(db.Query(ctx, `SELECT `+attachmentColumns+` FROM media_attachments a
		WHERE a.post_id = ANY ($1::bigint[]) ORDER BY a.post_id, a.position, a.id`, int64s(postIDs)))
	if err != nil {
		return nil, err
	}
	out := map[model.ID][]*model.Attachment{}
	for _, a := range all {
		out[a.PostID] = append(out[a.PostID], a)
	}
	return out, nil
}

// SaveProcessedAttachment records what processing made of an upload, if
// it is still in state from (processing may race a deletion).
func SaveProcessedAttachment(ctx context.Context, db DB, a *model.Attachment, from string) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE media_attachments SET kind = $2, content_type = $3, file_key = $4, thumbnail_key = $5,
		upload_key = $6, file_size = $7, width = $8, height = $9, thumbnail_width = $10, thumbnail_height = $11,
		duration = $12, blurhash = $13, updated = now()
		WHERE id = $1 AND state = $14`,
		a.ID, a.Kind, a.ContentType, a.FileKey, a.ThumbnailKey, a.UploadKey, a.FileSize, a.Width, a.Height,
		a.ThumbnailWidth, a.ThumbnailHeight, a.Duration, a.Blurhash, from)
	if err != nil {
		return false, fmt.Errorf("store: saving attachment %d: %w", a.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UpdateAttachmentMeta changes what the uploader may change: description
// and focal point.
func UpdateAttachmentMeta(ctx context.Context, db DB, id model.ID, description string, focusX, focusY float64) error {
	_, err := db.Exec(ctx, `UPDATE media_attachments SET description = $2, focus_x = $3, focus_y = $4, updated = now()
		WHERE id = $1`, id, description, focusX, focusY)
	if err != nil {
		return fmt.Errorf("store: updating attachment %d: %w", id, err)
	}
	return nil
}

// AttachToPost gives processed uploads of owner to a post, in the order
// of ids, moving them to 'attached'. It returns how many it took: uploads
// of another owner, still processing, or on another post are not taken.
func AttachToPost(ctx context.Context, db DB, postID, owner model.ID, ids []model.ID) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE media_attachments a SET post_id = $1, position = w.n, updated = now(),
			state = 'attached', state_changed = now(), state_attempts = 0, state_next_attempt = NULL,
			state_locked_until = NULL, state_error = NULL
		FROM unnest($3::bigint[]) WITH ORDINALITY AS w(id, n)
		WHERE a.id = w.id AND a.owner_id = $2 AND (a.post_id IS NULL OR a.post_id = $1)
		AND a.state IN ('ready', 'attached')`,
		postID, owner, int64s(ids))
	if err != nil {
		return 0, fmt.Errorf("store: attaching media to post %d: %w", postID, err)
	}
	return tag.RowsAffected(), nil
}

// DetachFromPost deletes the attachments of a post that are not in keep
// (an edit removed them).
func DetachFromPost(ctx context.Context, db DB, postID model.ID, keep []model.ID) error {
	_, err := db.Exec(ctx, `DELETE FROM media_attachments WHERE post_id = $1 AND NOT (id = ANY ($2::bigint[]))`,
		postID, int64s(keep))
	if err != nil {
		return fmt.Errorf("store: detaching media of post %d: %w", postID, err)
	}
	return nil
}

// DeletePostAttachments deletes every attachment of a post (the post was
// deleted); their files follow through the media_files graph.
func DeletePostAttachments(ctx context.Context, db DB, postID model.ID) error {
	if _, err := db.Exec(ctx, `DELETE FROM media_attachments WHERE post_id = $1`, postID); err != nil {
		return fmt.Errorf("store: deleting media of post %d: %w", postID, err)
	}
	return nil
}

// DeleteAttachment deletes one attachment row.
func DeleteAttachment(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, `DELETE FROM media_attachments WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: deleting attachment %d: %w", id, err)
	}
	return nil
}

// ReplaceRemoteAttachments makes a remote post's attachments the given
// ones (by URL, in order), keeping rows whose URL stays.
func ReplaceRemoteAttachments(ctx context.Context, db DB, postID model.ID, atts []*model.Attachment) error {
	urls := make([]string, len(atts))
	for k, a := range atts {
		urls[k] = a.RemoteURL
	}
	if _, err := db.Exec(ctx, `DELETE FROM media_attachments WHERE post_id = $1 AND NOT (remote_url = ANY ($2::text[]))`,
		postID, urls); err != nil {
		return fmt.Errorf("store: replacing media of post %d: %w", postID, err)
	}
	for k, a := range atts {
		tag, err := db.Exec(ctx, `UPDATE media_attachments SET position = $3, kind = $4, content_type = $5,
			width = $6, height = $7, blurhash = $8, focus_x = $9, focus_y = $10, description = $11, updated = now()
			WHERE post_id = $1 AND remote_url = $2`,
			postID, a.RemoteURL, k, a.Kind, a.ContentType, a.Width, a.Height, a.Blurhash, a.FocusX, a.FocusY, a.Description)
		if err != nil {
			return fmt.Errorf("store: replacing media of post %d: %w", postID, err)
		}
		if tag.RowsAffected() > 0 {
			continue
		}
		a.PostID, a.Position = postID, k
		if err := InsertAttachment(ctx, db, a, a.State); err != nil {
			return err
		}
	}
	return nil
}

// RecordMediaFile notes that key is (about to be) in storage and live:
// called before the file is written, so that a concurrent deletion of the
// same key (media_files graph) either finishes first or sees it live.
// Clearing the lease, as Graph.Move does, drops the outcome of a check
// that was claimed before.
func RecordMediaFile(ctx context.Context, db DB, key string, size int64, contentType string) error {
	_, err := db.Exec(ctx, `INSERT INTO media_files (key, size, content_type) VALUES ($1, $2, $3)
		ON CONFLICT (key) DO UPDATE SET state = 'live', state_next_attempt = NULL, state_changed = now(),
			state_locked_until = NULL, state_attempts = 0`,
		key, size, contentType)
	if err != nil {
		return fmt.Errorf("store: recording media file %s: %w", key, err)
	}
	return nil
}

// MediaFileReferenced reports whether any row names key.
func MediaFileReferenced(ctx context.Context, db DB, key string) (bool, error) {
	var used bool
	err := db.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM media_attachments WHERE file_key = $1)
		OR EXISTS (SELECT 1 FROM media_attachments WHERE thumbnail_key = $1)
		OR EXISTS (SELECT 1 FROM media_attachments WHERE upload_key = $1)
		OR EXISTS (SELECT 1 FROM remote_media WHERE file_key = $1)
		OR EXISTS (SELECT 1 FROM identities WHERE local AND (icon_key = $1 OR image_key = $1))
		OR EXISTS (SELECT 1 FROM emoji WHERE file_key = $1)`, key).Scan(&used)
	if err != nil {
		return false, fmt.Errorf("store: references of media file %s: %w", key, err)
	}
	return used, nil
}

// MediaFileKeyForUpdate locks a media file row in state and returns its
// key ("" when it is not in that state).
func MediaFileKeyForUpdate(ctx context.Context, tx DB, id int64, state string) (string, error) {
	var key string
	err := tx.QueryRow(ctx, `SELECT key FROM media_files WHERE id = $1 AND state = $2 FOR UPDATE`, id, state).Scan(&key)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: media file %d: %w", id, err)
	}
	return key, nil
}

// DeleteMediaFileRow removes a media file's row.
func DeleteMediaFileRow(ctx context.Context, tx DB, id int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM media_files WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: deleting media file %d: %w", id, err)
	}
	return nil
}

// MediaFileExists reports whether a media_files row names key.
func MediaFileExists(ctx context.Context, db DB, key string) (bool, error) {
	var ok bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM media_files WHERE key = $1)`, key).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: media file %s: %w", key, err)
	}
	return ok, nil
}
