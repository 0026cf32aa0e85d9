package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const reportColumns = `r.id, r.local, coalesce(r.reporter_id, 0), r.target_id, r.post_ids, r.rule_ids, r.category, r.comment,
	r.forwarded, coalesce(r.uri, ''), r.action_taken, r.created`

func collectReports(rows pgx.Rows, err error) ([]*model.Report, error) {
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Report, error) {
		var r model.Report
		var posts, rules []int64
		err := row.Scan(&r.ID, &r.Local, &r.ReporterID, &r.TargetID, &posts, &rules, &r.Category, &r.Comment,
			&r.Forwarded, &r.URI, &r.ActionTaken, &r.Created)
		r.PostIDs, r.RuleIDs = idsOf(posts), idsOf(rules)
		return &r, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: reports: %w", err)
	}
	return out, nil
}

// CreateReport stores a report (setting its id unless set, and created).
// A report with the URI of an earlier one (a Flag received twice) is not
// stored again: it returns false.
func CreateReport(ctx context.Context, db DB, r *model.Report) (bool, error) {
	if r.ID == 0 {
		r.ID = model.NewID()
	}
	var reporter *model.ID
	if r.ReporterID != 0 {
		reporter = &r.ReporterID
	}
	var uri *string
	if r.URI != "" {
		uri = &r.URI
	}
	err := db.QueryRow(ctx, `INSERT INTO reports (id, local, reporter_id, target_id, post_ids, rule_ids, category, comment, forwarded, uri)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (uri) DO NOTHING RETURNING created`,
		r.ID, r.Local, reporter, r.TargetID, int64s(r.PostIDs), int64s(r.RuleIDs), r.Category, r.Comment, r.Forwarded, uri).Scan(&r.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: creating report: %w", err)
	}
	return true, nil
}

// OpenReports returns the reports no action was taken on, newest first
// (for moderators).
func OpenReports(ctx context.Context, db DB, limit int) ([]*model.Report, error) {
	return collectReports(db.Query(ctx, `SELECT `+reportColumns+` FROM reports r WHERE r.action_taken IS NULL
		ORDER BY r.id DESC LIMIT $1`, limit))
}

// ReportsAbout returns the reports about an identity, newest first.
func ReportsAbout(ctx context.Context, db DB, target model.ID) ([]*model.Report, error) {
	return collectReports(db.Query(ctx, `SELECT `+reportColumns+` FROM reports r WHERE r.target_id = $1 ORDER BY r.id DESC`, target))
}

// PostsOfAuthor returns those of ids that are posts of author (deleted
// ones too: a report may name what was deleted since), by id.
func PostsOfAuthor(ctx context.Context, db DB, author model.ID, ids []model.ID) ([]model.ID, error) {
	rows, err := db.Query(ctx, `SELECT id FROM posts WHERE author_id = $1 AND id = ANY ($2) ORDER BY id`, author, int64s(ids))
	if err != nil {
		return nil, fmt.Errorf("store: posts of %d: %w", author, err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: posts of %d: %w", author, err)
	}
	return idsOf(found), nil
}

// PostIDsByURIs returns the ids of the posts with the given URIs by author
// (those that exist).
func PostIDsByURIs(ctx context.Context, db DB, author model.ID, uris []string) ([]model.ID, error) {
	rows, err := db.Query(ctx, `SELECT id FROM posts WHERE author_id = $1 AND uri = ANY ($2) ORDER BY id`, author, uris)
	if err != nil {
		return nil, fmt.Errorf("store: posts by uri: %w", err)
	}
	found, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: posts by uri: %w", err)
	}
	return idsOf(found), nil
}

// AddServerRule adds a server rule at the end of the list.
func AddServerRule(ctx context.Context, db DB, text, hint string) (*model.Rule, error) {
	r := &model.Rule{ID: model.NewID(), Text: text, Hint: hint}
	_, err := db.Exec(ctx, `INSERT INTO server_rules (id, text, hint, position)
		VALUES ($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM server_rules))`, r.ID, text, hint)
	if err != nil {
		return nil, fmt.Errorf("store: adding rule: %w", err)
	}
	return r, nil
}

// DeleteServerRule deletes a server rule; false when there is none.
func DeleteServerRule(ctx context.Context, db DB, id model.ID) (bool, error) {
	tag, err := db.Exec(ctx, `DELETE FROM server_rules WHERE id = $1`, id)
	if err != nil {
		return false, fmt.Errorf("store: deleting rule %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ServerRules returns the server's rules in order.
func ServerRules(ctx context.Context, db DB) ([]*model.Rule, error) {
	rows, err := db.Query(ctx, `SELECT id, text, hint FROM server_rules ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*model.Rule, error) {
		var r model.Rule
		return &r, row.Scan(&r.ID, &r.Text, &r.Hint)
	})
	if err != nil {
		return nil, fmt.Errorf("store: rules: %w", err)
	}
	return out, nil
}
