package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pukeko/app/testkit"
)

// With database.url, pukeko uses that server and starts no PostgreSQL of
// its own. Two servers starting at once on one empty database both come up,
// and the migrations are applied once.
func TestServeExternalDatabaseConcurrentStart(t *testing.T) {
	t.Parallel()
	url := testkit.EmptyDatabaseURL(t)
	a := newInstance(t, "PUKEKO_DATABASE_URL="+url)
	b := newInstance(t, "PUKEKO_DATABASE_URL="+url)
	a.start()
	b.start()
	a.waitReady()
	b.waitReady()

	pool := testkit.Pool(t, url)
	var applied int
	if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM pukeko_migrations").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	migs := strings.Count(a.logs.String()+b.logs.String(), "migration applied")
	if applied == 0 || migs != applied {
		t.Errorf("%d migrations recorded, %d applications logged by the two servers: want equal and non-zero", applied, migs)
	}
	for _, in := range []*instance{a, b} {
		if _, err := readFileIfExists(in.pgData() + "/PG_VERSION"); err == nil {
			t.Error("a bundled cluster was created although database.url is set")
		}
		if code, _ := in.stop(); code != 0 {
			t.Errorf("serve exited %d:\n%s", code, in.logs)
		}
	}
}

// An unreachable database is retried for database.connect_timeout, then
// reported clearly, without the password.
func TestServeUnreachableDatabase(t *testing.T) {
	t.Parallel()
	port := freePort(t) // nothing listens there
	in := newInstance(t,
		"PUKEKO_DATABASE_URL=postgres://pukeko:hunter2-secret@127.0.0.1:"+itoa(port)+"/pukeko",
		"PUKEKO_DATABASE_CONNECT_TIMEOUT=2s")
	begin := time.Now()
	_, errs, code := in.run("", "serve")
	if code == 0 {
		t.Fatal("serve succeeded without a database")
	}
	if !strings.Contains(errs, "unable to reach PostgreSQL at 127.0.0.1:"+itoa(port)) {
		t.Errorf("unclear error:\n%s", errs)
	}
	if strings.Contains(errs, "hunter2-secret") {
		t.Errorf("the password leaked into the output:\n%s", errs)
	}
	if strings.Count(errs, "retrying") < 2 {
		t.Errorf("expected several retries before giving up:\n%s", errs)
	}
	if took := time.Since(begin); took > 30*time.Second {
		t.Errorf("giving up took %s with connect_timeout 2s", took)
	}
}
