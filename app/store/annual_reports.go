package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

const annualReportColumns = `id, identity_id, year, schema_version, data, share_key, viewed, created, state, state_changed`

func scanAnnualReport(row pgx.Row) (*model.AnnualReport, error) {
	var r model.AnnualReport
	var data []byte
	err := row.Scan(&r.ID, &r.IdentityID, &r.Year, &r.SchemaVersion, &data, &r.ShareKey, &r.Viewed, &r.Created, &r.State, &r.StateChanged)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if data != nil {
		r.Data = json.RawMessage(data)
	}
	return &r, nil
}

// QueueAnnualReport records that identity's report of year is to be
// generated, in state, unless the identity has one for that year already.
// It returns the report, new or not, and whether it is new.
func QueueAnnualReport(ctx context.Context, db DB, identityID model.ID, year int, shareKey, state string) (*model.AnnualReport, bool, error) {
	r, err := scanAnnualReport(db.QueryRow(ctx, `INSERT INTO annual_reports (id, identity_id, year, share_key, state)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (identity_id, year) DO NOTHING RETURNING `+annualReportColumns,
		model.NewID(), identityID, year, shareKey, state))
	if err != nil {
		return nil, false, fmt.Errorf("store: queueing the %d report of %d: %w", year, identityID, err)
	}
	if r != nil {
		return r, true, nil
	}
	r, err = AnnualReportByYear(ctx, db, identityID, year)
	return r, false, err
}

// AnnualReportByYear returns identity's report of year, nil when none.
func AnnualReportByYear(ctx context.Context, db DB, identityID model.ID, year int) (*model.AnnualReport, error) {
	r, err := scanAnnualReport(db.QueryRow(ctx, `SELECT `+annualReportColumns+` FROM annual_reports
		WHERE identity_id = $1 AND year = $2`, identityID, year))
	if err != nil {
		return nil, fmt.Errorf("store: the %d report of %d: %w", year, identityID, err)
	}
	return r, nil
}

// AnnualReportByID returns a report, nil when none.
func AnnualReportByID(ctx context.Context, db DB, id model.ID) (*model.AnnualReport, error) {
	r, err := scanAnnualReport(db.QueryRow(ctx, `SELECT `+annualReportColumns+` FROM annual_reports WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("store: annual report %d: %w", id, err)
	}
	return r, nil
}

// UnreadAnnualReports returns identity's reports in state that it has
// not marked read, oldest year first.
func UnreadAnnualReports(ctx context.Context, db DB, identityID model.ID, state string) ([]*model.AnnualReport, error) {
	rows, err := db.Query(ctx, `SELECT `+annualReportColumns+` FROM annual_reports
		WHERE identity_id = $1 AND state = $2 AND viewed IS NULL ORDER BY year`, identityID, state)
	if err != nil {
		return nil, fmt.Errorf("store: unread annual reports of %d: %w", identityID, err)
	}
	defer rows.Close()
	var out []*model.AnnualReport
	for rows.Next() {
		r, err := scanAnnualReport(rows)
		if err != nil {
			return nil, fmt.Errorf("store: unread annual reports of %d: %w", identityID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MarkAnnualReportRead sets when a report was read (the first time only).
func MarkAnnualReportRead(ctx context.Context, db DB, id model.ID) error {
	if _, err := db.Exec(ctx, `UPDATE annual_reports SET viewed = now() WHERE id = $1 AND viewed IS NULL`, id); err != nil {
		return fmt.Errorf("store: marking annual report %d read: %w", id, err)
	}
	return nil
}

// SaveAnnualReportData stores the figures of a report still in state; it
// reports whether it was (a report that moved meanwhile is left alone).
func SaveAnnualReportData(ctx context.Context, db DB, id model.ID, state string, schemaVersion int, data []byte) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE annual_reports SET data = $3, schema_version = $4 WHERE id = $1 AND state = $2`,
		id, state, data, schemaVersion)
	if err != nil {
		return false, fmt.Errorf("store: saving annual report %d: %w", id, err)
	}
	return tag.RowsAffected() == 1, nil
}
