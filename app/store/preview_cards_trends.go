package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// sharesLink are the conditions under which a post (p, linked by pc to
// card c) counts as sharing its link for trends, as Mastodon counts them:
// public, without a content warning or sensitive media, by a live
// account, and a card with a title that is a plain link (not an embed).
const sharesLink = `p.visibility = 'public' AND p.deleted IS NULL AND NOT p.sensitive AND p.summary = ''
	AND c.fetched IS NOT NULL AND c.type = 'link' AND c.title <> ''
	AND EXISTS (SELECT 1 FROM identities a WHERE a.id = p.author_id AND a.deleted IS NULL)`

// TrendingLink is a card trending: how many accounts and posts shared it
// in the window.
type TrendingLink struct {
	Card     *model.PreviewCard
	Accounts int
	Uses     int
}

// TrendingLinks returns the cards shared by at least minAccounts distinct
// accounts in posts since since, most accounts first (then most posts,
// then the most recently shared).
func TrendingLinks(ctx context.Context, db DB, since time.Time, minAccounts, limit, offset int) ([]TrendingLink, error) {
	rows, err := db.Query(ctx, `WITH shares AS (
			SELECT pc.card_id, count(DISTINCT p.author_id) AS accounts, count(*) AS uses, max(pc.id) AS newest
			FROM post_preview_cards pc JOIN posts p ON p.id = pc.id JOIN preview_cards c ON c.id = pc.card_id
			WHERE pc.id > $1 AND pc.card_id IS NOT NULL AND `+sharesLink+`
			GROUP BY pc.card_id HAVING count(DISTINCT p.author_id) >= $2
		) SELECT `+previewCardColumns+`, s.accounts, s.uses FROM shares s JOIN preview_cards c ON c.id = s.card_id
		ORDER BY s.accounts DESC, s.uses DESC, s.newest DESC LIMIT $3 OFFSET $4`,
		int64(model.IDAt(since)), max(minAccounts, 1), limit, max(offset, 0))
	if err != nil {
		return nil, fmt.Errorf("store: trending links: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TrendingLink, error) {
		var t TrendingLink
		c, err := scanPreviewCard(extraRow{row, []any{&t.Accounts, &t.Uses}})
		t.Card = c
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: trending links: %w", err)
	}
	return out, nil
}

// IsTrendingLink reports whether card is among the trending links, as
// TrendingLinks decides.
func IsTrendingLink(ctx context.Context, db DB, card model.ID, since time.Time, minAccounts int) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT count(DISTINCT p.author_id) >= $3
		FROM post_preview_cards pc JOIN posts p ON p.id = pc.id JOIN preview_cards c ON c.id = pc.card_id
		WHERE pc.card_id = $1 AND pc.id > $2 AND `+sharesLink, card, int64(model.IDAt(since)), max(minAccounts, 1)).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("store: is card %d trending: %w", card, err)
	}
	return ok, nil
}

// LinkHistories counts, for each of cards, the posts and distinct
// accounts sharing it on each of the last days (UTC), today first.
func LinkHistories(ctx context.Context, db DB, cards []model.ID, days int) (map[model.ID][]TagDay, error) {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	since := today.AddDate(0, 0, -(days - 1))
	rows, err := db.Query(ctx, `SELECT pc.card_id, ((pc.id >> 16) / 86400000) * 86400 AS day,
			count(*), count(DISTINCT p.author_id)
		FROM post_preview_cards pc JOIN posts p ON p.id = pc.id JOIN preview_cards c ON c.id = pc.card_id
		WHERE pc.card_id = ANY ($1::bigint[]) AND pc.id >= $2 AND `+sharesLink+`
		GROUP BY 1, 2`, int64s(cards), int64(model.IDAt(since)))
	if err != nil {
		return nil, fmt.Errorf("store: link history: %w", err)
	}
	counts := map[model.ID]map[int64]TagDay{}
	_, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (struct{}, error) {
		var card model.ID
		var day int64
		var d TagDay
		if err := row.Scan(&card, &day, &d.Uses, &d.Accounts); err != nil {
			return struct{}{}, err
		}
		if counts[card] == nil {
			counts[card] = map[int64]TagDay{}
		}
		counts[card][day] = d
		return struct{}{}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: link history: %w", err)
	}
	out := make(map[model.ID][]TagDay, len(cards))
	for _, card := range cards {
		list := make([]TagDay, 0, days)
		for k := range days {
			day := today.AddDate(0, 0, -k)
			d := counts[card][day.Unix()]
			d.Day = day
			list = append(list, d)
		}
		out[card] = list
	}
	return out, nil
}

// LinkTimeline returns a page of the public posts showing card, by
// discoverable accounts, that reader may see, newest first.
func LinkTimeline(ctx context.Context, db DB, card, reader model.ID, pg Page) ([]*model.Post, error) {
	return pagePosts(ctx, db, fmt.Sprintf("link timeline of card %d", card),
		"post_preview_cards pc JOIN posts p ON p.id = pc.id",
		`pc.card_id = $1 AND p.visibility IN ('public', 'local') AND `+VisibleTo("$2")+`
		AND EXISTS (SELECT 1 FROM identities da WHERE da.id = p.author_id AND da.discoverable)`,
		"pc.id", pg, card, reader)
}
