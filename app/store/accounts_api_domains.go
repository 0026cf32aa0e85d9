package store

import (
	"context"
	"fmt"
	"slices"

	"pukeko/app/model"
)

// BlockedDomain is one of a user's own domain blocks.
type BlockedDomain struct {
	ID     model.ID // pages the list
	Domain string
}

// BlockDomainFor records identity's block of a domain (lower-case); again
// changes nothing. It reports whether the block is new.
func BlockDomainFor(ctx context.Context, db DB, identity model.ID, domain string) (bool, error) {
	tag, err := db.Exec(ctx, `INSERT INTO identity_domain_blocks (identity_id, domain, id) VALUES ($1, $2, $3)
		ON CONFLICT (identity_id, domain) DO NOTHING`, identity, domain, model.NewID())
	if err != nil {
		return false, fmt.Errorf("store: %d blocking domain %s: %w", identity, domain, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UnblockDomainFor lifts identity's block of a domain.
func UnblockDomainFor(ctx context.Context, db DB, identity model.ID, domain string) error {
	_, err := db.Exec(ctx, `DELETE FROM identity_domain_blocks WHERE identity_id = $1 AND domain = $2`, identity, domain)
	if err != nil {
		return fmt.Errorf("store: %d unblocking domain %s: %w", identity, domain, err)
	}
	return nil
}

// BlockedDomains returns a page of the domains identity blocks, newest
// block first.
func BlockedDomains(ctx context.Context, db DB, identity model.ID, pg Page) ([]BlockedDomain, error) {
	lower, order := pg.SinceID, "DESC"
	if pg.MinID != 0 {
		lower, order = pg.MinID, "ASC"
	}
	rows, err := db.Query(ctx, `SELECT id, domain FROM identity_domain_blocks WHERE identity_id = $1
		AND ($2::bigint = 0 OR id < $2) AND ($3::bigint = 0 OR id > $3) ORDER BY id `+order+` LIMIT $4`,
		identity, int64(pg.MaxID), int64(lower), listLimit(pg))
	if err != nil {
		return nil, fmt.Errorf("store: domain blocks of %d: %w", identity, err)
	}
	defer rows.Close()
	var out []BlockedDomain
	for rows.Next() {
		var b BlockedDomain
		if err := rows.Scan(&b.ID, &b.Domain); err != nil {
			return nil, fmt.Errorf("store: domain blocks of %d: %w", identity, err)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: domain blocks of %d: %w", identity, err)
	}
	if order == "ASC" {
		slices.Reverse(out)
	}
	return out, nil
}

// DomainBlockedBy is the SQL condition that identity (an SQL expression)
// blocked the domain of subject (an identity id expression) itself: for
// queries that hide notifications and the like from blocked domains.
func DomainBlockedBy(identity, subject string) string {
	return `EXISTS (SELECT 1 FROM identity_domain_blocks dbx JOIN identities dbi ON dbi.domain = dbx.domain
		WHERE dbx.identity_id = ` + identity + ` AND dbi.id = ` + subject + `)`
}
