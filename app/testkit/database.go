package testkit

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DatabaseURL returns the URL of a fresh database holding the current
// schema, private to t and dropped when t ends.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// EmptyDatabaseURL returns the URL of a fresh database without any tables,
// for tests of the migration runner itself.
func EmptyDatabaseURL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

// DB returns a pool on a fresh migrated database private to t.
func DB(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return Pool(t, DatabaseURL(t))
}

// Pool opens a pool on url, closed when t ends.
func Pool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	cfg.MaxConns = 8
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func newDatabase(t testing.TB, migrated bool) string {
	s, err := getServer()
	if err != nil {
		t.Fatalf("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		t.Fatalf("testkit: unable to connect to the test server: %v", err)
	}
	defer conn.Close(ctx)

	cloneMu.Lock()
	dbSeq++
	name := fmt.Sprintf("%s_%d", s.prefix, dbSeq)
	sql := "CREATE DATABASE " + name
	if migrated {
		sql += " TEMPLATE " + s.template + s.cloneSQL
	}
	_, err = conn.Exec(ctx, sql)
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("testkit: unable to create database %s: %v", name, err)
	}
	// Registered before any pool of the test, so it runs after they close.
	t.Cleanup(func() { dropDatabase(s.adminURL, name) })
	return s.databaseURL(name)
}
