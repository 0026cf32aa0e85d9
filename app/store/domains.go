package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"pukeko/app/model"
)

// ErrDomainExists means the domain or its service domain is taken.
var ErrDomainExists = errors.New("domain already exists")

const domainColumns = `domain, coalesce(service_domain, ''), local, public, is_default, site_name, icon_url,
	custom_css, signup_policy, blocked, software, version, created`

func scanDomain(row pgx.Row) (*model.Domain, error) {
	var d model.Domain
	err := row.Scan(&d.Domain, &d.ServiceDomain, &d.Local, &d.Public, &d.Default, &d.SiteName, &d.IconURL,
		&d.CustomCSS, &d.SignupPolicy, &d.Blocked, &d.Software, &d.Version, &d.Created)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return &d, err
}

// CreateLocalDomain adds a domain this server serves. Making it the default
// takes the flag from any other domain.
func CreateLocalDomain(ctx context.Context, db DB, d *model.Domain) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if d.Default {
			if _, err := tx.Exec(ctx, "UPDATE domains SET is_default = false WHERE is_default"); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `INSERT INTO domains (domain, service_domain, local, public, is_default, site_name, signup_policy, state, state_next_attempt)
			VALUES ($1, nullif($2, ''), true, $3, $4, $5, $6, 'local', NULL)`,
			d.Domain, d.ServiceDomain, d.Public, d.Default, d.SiteName, d.SignupPolicy)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: %s", ErrDomainExists, d.Domain)
		}
		return err
	})
}

// UpdateLocalDomain writes the settable fields of a local domain.
func UpdateLocalDomain(ctx context.Context, db DB, d *model.Domain) error {
	return pgx.BeginFunc(ctx, asBeginner(db), func(tx pgx.Tx) error {
		if d.Default {
			if _, err := tx.Exec(ctx, "UPDATE domains SET is_default = false WHERE is_default AND domain <> $1", d.Domain); err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE domains SET service_domain = nullif($2, ''), public = $3, is_default = $4,
			site_name = $5, icon_url = $6, custom_css = $7, signup_policy = $8, updated = now()
			WHERE domain = $1 AND local`,
			d.Domain, d.ServiceDomain, d.Public, d.Default, d.SiteName, d.IconURL, d.CustomCSS, d.SignupPolicy)
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: service domain %s", ErrDomainExists, d.ServiceDomain)
		}
		if err == nil && tag.RowsAffected() == 0 {
			return fmt.Errorf("store: no local domain %s", d.Domain)
		}
		return err
	})
}

// DeleteLocalDomain removes a local domain; it refuses while identities
// still live on it, so that nothing is deleted by accident.
func DeleteLocalDomain(ctx context.Context, db DB, domain string) error {
	var n int
	if err := db.QueryRow(ctx, "SELECT count(*) FROM identities WHERE domain = $1", domain).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("store: domain %s still has %d identities; remove them first", domain, n)
	}
	tag, err := db.Exec(ctx, "DELETE FROM domains WHERE domain = $1 AND local", domain)
	if err == nil && tag.RowsAffected() == 0 {
		return fmt.Errorf("store: no local domain %s", domain)
	}
	return err
}

// LocalDomains lists the domains this server serves, the default first.
func LocalDomains(ctx context.Context, db DB) ([]*model.Domain, error) {
	rows, err := db.Query(ctx, "SELECT "+domainColumns+" FROM domains WHERE local ORDER BY is_default DESC, domain")
	if err != nil {
		return nil, fmt.Errorf("store: listing domains: %w", err)
	}
	defer rows.Close()
	var out []*model.Domain
	for rows.Next() {
		d, err := scanDomain(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Domain returns the row of domain (local or remote), or nil.
func Domain(ctx context.Context, db DB, domain string) (*model.Domain, error) {
	d, err := scanDomain(db.QueryRow(ctx, "SELECT "+domainColumns+" FROM domains WHERE domain = $1", domain))
	if err != nil {
		return nil, fmt.Errorf("store: domain %s: %w", domain, err)
	}
	return d, nil
}

// LocalDomainByHost resolves a request's Host to the local domain it names,
// as display or service domain; nil when it names none.
func LocalDomainByHost(ctx context.Context, db DB, host string) (*model.Domain, error) {
	d, err := scanDomain(db.QueryRow(ctx, "SELECT "+domainColumns+
		" FROM domains WHERE local AND (domain = $1 OR service_domain = $1) ORDER BY domain = $1 DESC LIMIT 1", host))
	if err != nil {
		return nil, fmt.Errorf("store: resolving host %s: %w", host, err)
	}
	return d, nil
}

// EnsureRemoteDomain records a server we met, once; Stator fetches its
// nodeinfo. It returns whether the domain is blocked.
func EnsureRemoteDomain(ctx context.Context, db DB, domain string) (blocked bool, err error) {
	err = db.QueryRow(ctx, `INSERT INTO domains (domain, local) VALUES ($1, false)
		ON CONFLICT (domain) DO UPDATE SET domain = excluded.domain
		RETURNING blocked`, domain).Scan(&blocked)
	if err != nil {
		return false, fmt.Errorf("store: recording domain %s: %w", domain, err)
	}
	return blocked, nil
}

// DomainBlocked reports whether domain or any parent domain is blocked.
func DomainBlocked(ctx context.Context, db DB, domain string) (bool, error) {
	var blocked bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM domains WHERE blocked
		AND ($1 = domain OR $1 LIKE '%.' || domain))`, domain).Scan(&blocked)
	return blocked, err
}

// SetDomainBlocked blocks or unblocks a remote domain (and its subdomains).
func SetDomainBlocked(ctx context.Context, db DB, domain string, blocked bool) error {
	_, err := db.Exec(ctx, `INSERT INTO domains (domain, local, blocked) VALUES ($1, false, $2)
		ON CONFLICT (domain) DO UPDATE SET blocked = excluded.blocked, updated = now()`, domain, blocked)
	return err
}

// beginner starts transactions (pools and connections do).
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

func asBeginner(db DB) beginner {
	if b, ok := db.(beginner); ok {
		return b
	}
	panic("store: this operation needs a pool, connection or transaction")
}
