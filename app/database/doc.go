// Package database connects Pukeko to PostgreSQL and keeps its schema
// current: a pgx pool that waits for a database that is still starting, and
// a migration runner that applies the embedded schema/*.sql files in order
// under an advisory lock. The bundled PostgreSQL supervisor lives in the
// bundled subpackage.
package database
