package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// previewCardColumns are the columns scanPreviewCard reads, of alias c.
const previewCardColumns = `c.id, c.url, c.type, c.title, c.description, c.author_name, c.author_url,
	c.provider_name, c.provider_url, c.html, c.width, c.height, c.image_url, c.image_description,
	c.embed_url, c.language, c.published, c.fetched, c.state, c.state_changed`

func scanPreviewCard(row pgx.Row) (*model.PreviewCard, error) {
	var c model.PreviewCard
	err := row.Scan(&c.ID, &c.URL, &c.Type, &c.Title, &c.Description, &c.AuthorName, &c.AuthorURL,
		&c.ProviderName, &c.ProviderURL, &c.HTML, &c.Width, &c.Height, &c.ImageURL, &c.ImageDescription,
		&c.EmbedURL, &c.Language, &c.Published, &c.Fetched, &c.State, &c.StateChanged)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &c, err
}

// EnsurePreviewCard returns the card of url, making a new one (in 'new',
// for the preview_cards graph to fetch) when there is none. A card that
// exists is only read: a popular link costs no write per post.
func EnsurePreviewCard(ctx context.Context, db DB, url string) (*model.PreviewCard, error) {
	for range 2 {
		c, err := PreviewCardByURL(ctx, db, url)
		if err != nil || c != nil {
			return c, err
		}
		c, err = scanPreviewCard(db.QueryRow(ctx, `INSERT INTO preview_cards AS c (id, url) VALUES ($1, $2)
			ON CONFLICT (url) DO NOTHING RETURNING `+previewCardColumns, model.NewID(), url))
		if err != nil || c != nil {
			if err != nil {
				err = fmt.Errorf("store: preview card of %s: %w", url, err)
			}
			return c, err
		}
		// Made by someone else since the read: read it.
	}
	return nil, fmt.Errorf("store: preview card of %s: made and gone at once", url)
}

// PreviewCardByID loads a card, nil when none.
func PreviewCardByID(ctx context.Context, db DB, id model.ID) (*model.PreviewCard, error) {
	c, err := scanPreviewCard(db.QueryRow(ctx, `SELECT `+previewCardColumns+` FROM preview_cards c WHERE c.id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: preview card %d: %w", id, err)
	}
	return c, nil
}

// PreviewCardByURL loads the card of url, nil when none.
func PreviewCardByURL(ctx context.Context, db DB, url string) (*model.PreviewCard, error) {
	c, err := scanPreviewCard(db.QueryRow(ctx, `SELECT `+previewCardColumns+` FROM preview_cards c WHERE c.url = $1`, url))
	if err != nil {
		return nil, fmt.Errorf("store: preview card of %s: %w", url, err)
	}
	return c, nil
}

// SavePreviewCard records what a fetch of a card found, as fetched now.
func SavePreviewCard(ctx context.Context, db DB, c *model.PreviewCard) error {
	_, err := db.Exec(ctx, `UPDATE preview_cards SET type = $2, title = $3, description = $4, author_name = $5,
		author_url = $6, provider_name = $7, provider_url = $8, html = $9, width = $10, height = $11,
		image_url = $12, image_description = $13, embed_url = $14, language = $15, published = $16, fetched = now()
		WHERE id = $1`, c.ID, c.Type, c.Title, c.Description, c.AuthorName, c.AuthorURL, c.ProviderName,
		c.ProviderURL, c.HTML, c.Width, c.Height, c.ImageURL, c.ImageDescription, c.EmbedURL, c.Language, c.Published)
	if err != nil {
		return fmt.Errorf("store: saving preview card %d: %w", c.ID, err)
	}
	return nil
}

// RefreshPreviewCard puts a fetched or failed card whose last attempt is
// older than age back in 'new', for the graph to fetch again. It reports
// whether it did; a card fetched recently, or being fetched, is left
// alone, so that a popular link is fetched once, not once per post.
func RefreshPreviewCard(ctx context.Context, db DB, id model.ID, age time.Duration) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE preview_cards SET state = 'new', state_changed = now(), state_attempts = 0,
		state_error = NULL, state_locked_until = NULL, state_next_attempt = now()
		WHERE id = $1 AND state IN ('fetched', 'failed') AND state_changed < now() - $2 * interval '1 second'`,
		id, age.Seconds())
	if err != nil {
		return false, fmt.Errorf("store: refreshing preview card %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// LinkPostCard shows card (0: none) on a post.
func LinkPostCard(ctx context.Context, db DB, postID, card model.ID) error {
	var id *int64
	if card != 0 {
		v := int64(card)
		id = &v
	}
	if _, err := db.Exec(ctx, `UPDATE post_preview_cards SET card_id = $2 WHERE id = $1`, postID, id); err != nil {
		return fmt.Errorf("store: linking post %d to its card: %w", postID, err)
	}
	return nil
}

// cardStampColumn is PostStamp.Card of the post p: the card it links to
// and when that was fetched, so that a rendering made before the card
// came (or changed) is made again.
const cardStampColumn = `coalesce((SELECT pc.card_id::text || ':' || coalesce(c.fetched::text, '')
		FROM post_preview_cards pc LEFT JOIN preview_cards c ON c.id = pc.card_id WHERE pc.id = p.id), '')`

// postCardsSQL loads the shown cards of posts ($1) for LoadPostDetails.
const postCardsSQL = `SELECT pc.id, ` + previewCardColumns + ` FROM post_preview_cards pc
	JOIN preview_cards c ON c.id = pc.card_id
	WHERE pc.id = ANY ($1::bigint[]) AND c.fetched IS NOT NULL`

// scanPostCard notes one row of postCardsSQL in d.Cards.
func (d *PostDetails) scanPostCard(rows pgx.Rows) error {
	var post model.ID
	c, err := scanPreviewCard(extraFirst{rows, &post})
	if err != nil {
		return err
	}
	if !c.Shown() {
		return nil
	}
	if d.Cards == nil {
		d.Cards = map[model.ID]*model.PreviewCard{}
	}
	d.Cards[post] = c
	return nil
}

// extraFirst scans a row whose first column is extra, then the rest.
type extraFirst struct {
	row   pgx.Row
	extra any
}

func (r extraFirst) Scan(dest ...any) error { return r.row.Scan(append([]any{r.extra}, dest...)...) }
