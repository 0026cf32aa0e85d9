package cli_test

import (
	"context"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"net/http"
	"os"
	"pukeko/app/database/bundled"
	"strings"
	"testing"
	"time"
)

// The whole life of a server on the bundled PostgreSQL: first start with
// initdb, ready, SIGTERM, exit 0 with nothing left running. As root (as in
// CI) the server and every PostgreSQL process run as the unprivileged user.
func TestServeBundledLifecycle(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.start()
	in.waitReady()

	resp, err := http.Get("http://" + in.listen + "/robots.txt")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET /robots.txt: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	// The cluster was created with locale C and encoding UTF8.
	pw, err := os.ReadFile(filepath.Join(in.dataDir(), "postgres.password"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(context.Background(), bundled.ConnURL(in.pgPort, strings.TrimSpace(string(pw)), bundled.Database))
	if err != nil {
		t.Fatalf("connecting to the bundled PostgreSQL with its password: %v", err)
	}
	var collate, encoding string
	conn.QueryRow(context.Background(),
		"SELECT datcollate, pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()").Scan(&collate, &encoding)
	conn.Close(context.Background())
	if collate != "C" || encoding != "UTF8" {
		t.Errorf("bundled database has collation %q and encoding %q, want C and UTF8", collate, encoding)
	}
	if _, err := pgx.Connect(context.Background(), bundled.ConnURL(in.pgPort, "wrong", bundled.Database)); err == nil {
		t.Error("the bundled PostgreSQL accepted a wrong password")
	}

	pm := in.postmasterPID()
	if os.Geteuid() == 0 {
		want := nobodyUID(t) // server.user "pukeko" does not exist here
		if got := uidOf(t, in.cmd.Process.Pid); got != want {
			t.Errorf("pukeko runs as uid %d, want %d", got, want)
		}
		if got := uidOf(t, pm); got != want {
			t.Errorf("the postmaster runs as uid %d, want %d", got, want)
		}
		for _, kid := range childrenOf(pm) {
			if _, err := os.Stat("/proc/" + itoa(kid)); err != nil {
				continue // a backend that ended meanwhile
			}
			if got := uidOf(t, kid); got != want && alive(kid) {
				t.Errorf("postgres process %d runs as uid %d, want %d", kid, got, want)
			}
		}
		if !strings.Contains(in.logs.String(), "dropped root privileges") {
			t.Errorf("no privilege drop logged:\n%s", in.logs)
		}
	}
	if !strings.Contains(in.logs.String(), "component=postgres") {
		t.Errorf("PostgreSQL's own log lines are not in pukeko's log:\n%s", in.logs)
	}

	code, took := in.stop()
	if code != 0 {
		t.Fatalf("pukeko serve exited %d after SIGTERM:\n%s", code, in.logs)
	}
	if took > 10*time.Second {
		t.Errorf("pukeko serve took %s to exit after SIGTERM, want at most 10s", took)
	}
	if !waitDead(pm, time.Second) {
		t.Errorf("the postmaster (pid %d) still runs after pukeko exited", pm)
	}
	if left := in.processesUsing(); len(left) > 0 {
		t.Errorf("processes left behind: %v", left)
	}
	if loose, _ := filepath.Glob(filepath.Join(os.TempDir(), "embedded_postgres_log*")); len(loose) > 0 {
		t.Errorf("PostgreSQL log files left in the temporary directory: %v", loose)
	}
	if _, err := os.Stat(in.pgData() + "/postmaster.pid"); !os.IsNotExist(err) {
		t.Errorf("postmaster.pid remains after a clean stop: %v", err)
	}
}

// Data written through one start is there after the next: migrate (start,
// initdb, stop), user create (start, write, stop), then serve (start), and
// a user create run beside the running server sees the earlier user.
func TestBundledDataSurvivesRestarts(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	if out, errs, code := in.run("", "migrate"); code != 0 || !strings.Contains(out, "applied ") {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, out, errs)
	}
	if out, errs, code := in.run("", "migrate"); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("second migrate: exit %d\n%s\n%s", code, out, errs)
	}
	out, errs, code := in.run("a-long-password\n", "user", "create", "--email", "Ada@Example.com", "--password-stdin", "--admin")
	if code != 0 || !strings.Contains(out, "created user") {
		t.Fatalf("user create: exit %d\n%s\n%s", code, out, errs)
	}
	if left := in.processesUsing(); len(left) > 0 {
		t.Fatalf("user create left processes behind: %v", left)
	}

	in.start()
	in.waitReady()
	pm := in.postmasterPID()
	_, errs, code = in.run("another-password\n", "user", "create", "--email", "ada@example.com", "--password-stdin")
	if code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("a duplicate user was not refused (exit %d): %s", code, errs)
	}
	if in.postmasterPID() != pm || !alive(pm) {
		t.Fatal("an administrative command replaced the server's PostgreSQL instead of using it")
	}
	out, errs, code = in.run("", "user", "create", "--email", "grace@example.com")
	if code != 0 || !strings.Contains(out, "password: ") {
		t.Fatalf("user create with a generated password: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _ := in.stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, in.logs)
	}
}

// A second server on the same bundled PostgreSQL is refused with a clear
// message instead of starting a second postmaster on the data.
func TestSecondServeOnSameDataRefused(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.start()
	in.waitReady()
	other := *in
	other.env = append(append([]string{}, in.env...), "PUKEKO_SERVER_LISTEN=127.0.0.1:0")
	_, errs, code := other.run("", "serve")
	if code == 0 || !strings.Contains(errs, "already run by pukeko serve") {
		t.Fatalf("second serve: exit %d, %s", code, errs)
	}
	if code, _ := in.stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, in.logs)
	}
}
