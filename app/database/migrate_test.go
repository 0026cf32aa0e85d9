package database_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"testing/fstest"

	"pukeko/app/database"
	"pukeko/app/testkit"
	"pukeko/schema"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func testMigrations(t *testing.T, files map[string]string) []database.Migration {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	migs, err := database.LoadMigrations(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return migs
}

var twoSteps = map[string]string{
	"0001_things.sql": "CREATE TABLE things (id int PRIMARY KEY); CREATE INDEX things_id ON things (id);",
	"0002_more.sql":   "ALTER TABLE things ADD COLUMN name text; INSERT INTO things VALUES (1, 'one');",
}

func TestMigrateFreshThenNoop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.Pool(t, testkit.EmptyDatabaseURL(t))
	migs := testMigrations(t, twoSteps)

	if err := database.CheckSchema(ctx, pool, migs); !errors.Is(err, database.ErrSchemaPending) {
		t.Fatalf("CheckSchema on an empty database = %v, want ErrSchemaPending", err)
	}
	applied, err := database.Migrate(ctx, pool, migs, quiet)
	if err != nil || len(applied) != 2 {
		t.Fatalf("first Migrate applied %d, err %v; want 2, nil", len(applied), err)
	}
	var name string
	if err := pool.QueryRow(ctx, "SELECT name FROM things WHERE id = 1").Scan(&name); err != nil || name != "one" {
		t.Fatalf("migrated data: %q, %v", name, err)
	}
	applied, err = database.Migrate(ctx, pool, migs, quiet)
	if err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate applied %d, err %v; want 0, nil", len(applied), err)
	}
	var rows int
	pool.QueryRow(ctx, "SELECT count(*) FROM things").Scan(&rows)
	if rows != 1 {
		t.Fatalf("re-applying ran a migration again: %d rows", rows)
	}
	if err := database.CheckSchema(ctx, pool, migs); err != nil {
		t.Fatalf("CheckSchema after migrating: %v", err)
	}
}

func TestMigrateConcurrentAppliesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.EmptyDatabaseURL(t)
	// The INSERT would fail on its primary key if the file ran twice.
	migs := testMigrations(t, map[string]string{
		"0001_t.sql": "CREATE TABLE runs (id int PRIMARY KEY); SELECT pg_sleep(0.2); INSERT INTO runs VALUES (1);",
		"0002_u.sql": "INSERT INTO runs VALUES (2);",
	})
	const migrators = 4
	var wg sync.WaitGroup
	errs := make([]error, migrators)
	counts := make([]int, migrators)
	for i := range migrators {
		pool := testkit.Pool(t, url) // a pool each: separate sessions, as separate processes
		wg.Go(func() {
			applied, err := database.Migrate(ctx, pool, migs, quiet)
			errs[i], counts[i] = err, len(applied)
		})
	}
	wg.Wait()
	total := 0
	for i := range migrators {
		if errs[i] != nil {
			t.Errorf("migrator %d: %v", i, errs[i])
		}
		total += counts[i]
	}
	if total != 2 {
		t.Fatalf("migrations applied %d times in all, want 2", total)
	}
}

func TestMigrateRefusesEditedMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.Pool(t, testkit.EmptyDatabaseURL(t))
	if _, err := database.Migrate(ctx, pool, testMigrations(t, twoSteps), quiet); err != nil {
		t.Fatal(err)
	}
	edited := map[string]string{
		"0001_things.sql": twoSteps["0001_things.sql"] + " -- edited",
		"0002_more.sql":   twoSteps["0002_more.sql"],
		"0003_new.sql":    "CREATE TABLE never (id int);",
	}
	migs := testMigrations(t, edited)
	_, err := database.Migrate(ctx, pool, migs, quiet)
	if !errors.Is(err, database.ErrMigrationChanged) {
		t.Fatalf("Migrate with an edited migration = %v, want ErrMigrationChanged", err)
	}
	var exists bool
	pool.QueryRow(ctx, "SELECT to_regclass('never') IS NOT NULL").Scan(&exists)
	if exists {
		t.Fatal("a later migration ran although an earlier one was edited")
	}
	if err := database.CheckSchema(ctx, pool, migs); !errors.Is(err, database.ErrMigrationChanged) {
		t.Fatalf("CheckSchema = %v, want ErrMigrationChanged", err)
	}
}

func TestMigrateRefusesNewerDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.Pool(t, testkit.EmptyDatabaseURL(t))
	migs := testMigrations(t, twoSteps)
	if _, err := database.Migrate(ctx, pool, migs, quiet); err != nil {
		t.Fatal(err)
	}
	_, err := database.Migrate(ctx, pool, migs[:1], quiet)
	if !errors.Is(err, database.ErrSchemaNewer) {
		t.Fatalf("Migrate by an older binary = %v, want ErrSchemaNewer", err)
	}
}

func TestMigrateFailedFileLeavesNoTrace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testkit.Pool(t, testkit.EmptyDatabaseURL(t))
	migs := testMigrations(t, map[string]string{
		"0001_ok.sql":  "CREATE TABLE a (id int);",
		"0002_bad.sql": "CREATE TABLE b (id int); SELECT no_such_function();",
	})
	applied, err := database.Migrate(ctx, pool, migs, quiet)
	if err == nil || len(applied) != 1 {
		t.Fatalf("Migrate = %d applied, %v; want 1 applied and an error", len(applied), err)
	}
	var exists bool
	pool.QueryRow(ctx, "SELECT to_regclass('b') IS NOT NULL").Scan(&exists)
	if exists {
		t.Fatal("a failed migration left a table behind: it did not run in a transaction")
	}
}

func TestLoadMigrationsRejectsGapsAndBadNames(t *testing.T) {
	t.Parallel()
	for name, files := range map[string]fstest.MapFS{
		"gap":      {"0001_a.sql": {}, "0003_c.sql": {}},
		"bad name": {"0001_a.sql": {}, "2_b.sql": {}},
		"repeat":   {"0001_a.sql": {}, "0001_b.sql": {}},
	} {
		if _, err := database.LoadMigrations(files); err == nil {
			t.Errorf("%s: LoadMigrations accepted it", name)
		}
	}
}

func TestEmbeddedSchemaApplies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	migs, err := database.LoadMigrations(schema.Files)
	if err != nil {
		t.Fatal(err)
	}
	pool := testkit.DB(t) // cloned from the template testkit migrated
	if err := database.CheckSchema(ctx, pool, migs); err != nil {
		t.Fatalf("the test template is not at the embedded schema: %v", err)
	}
}
