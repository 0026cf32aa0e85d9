package store

import "context"

// IsLocalName reports whether name is one of the server's display or
// service domains: the names it may hold certificates for.
func IsLocalName(ctx context.Context, db DB, name string) (bool, error) {
	var ok bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM domains WHERE local AND (domain = $1 OR service_domain = $1))`, name).Scan(&ok)
	return ok, err
}

// LocalNames lists every display and service domain the server serves.
func LocalNames(ctx context.Context, db DB) ([]string, error) {
	return uris(ctx, db, `SELECT domain FROM domains WHERE local
		UNION SELECT service_domain FROM domains WHERE local AND service_domain IS NOT NULL ORDER BY 1`)
}
