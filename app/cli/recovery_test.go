package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kill -9 of pukeko leaves its PostgreSQL running; the next start stops that
// leftover cleanly and comes up on the same data.
func TestServeRecoversAfterKill9(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	in.start()
	in.waitReady()
	if _, errs, code := in.run("a-long-password\n", "user", "create", "--email", "kept@example.com", "--password-stdin"); code != 0 {
		t.Fatalf("user create: %s", errs)
	}
	leftover := in.postmasterPID()
	in.kill9()
	time.Sleep(200 * time.Millisecond)
	if !alive(leftover) {
		t.Fatal("the postmaster died with pukeko: this test needs it left running")
	}

	in.start()
	in.waitReady()
	if alive(leftover) {
		t.Errorf("the leftover postmaster (pid %d) still runs after the restart", leftover)
	}
	if now := in.postmasterPID(); now == leftover {
		t.Errorf("the restarted server reuses the leftover postmaster %d", now)
	}
	if !strings.Contains(in.logs.String(), "left running by an earlier pukeko") {
		t.Errorf("the clean-up of the leftover was not logged:\n%s", in.logs)
	}
	_, errs, code := in.run("a-long-password\n", "user", "create", "--email", "kept@example.com", "--password-stdin")
	if code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("data written before the kill is gone (exit %d): %s", code, errs)
	}
	if code, _ := in.stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, in.logs)
	}
}

// A data directory made by another major version of PostgreSQL is refused
// with a message saying so, and not one of its files changes.
func TestBundledRefusesOtherMajorVersion(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	pg := in.pgData()
	files := map[string]string{
		"PG_VERSION":          "9.6\n",
		"base/1/1259":         "precious table data",
		"global/pg_control":   "control file",
		"postgresql.conf":     "port = 5432\n",
		"pg_wal/000000010000": "wal segment",
	}
	for name, body := range files {
		p := filepath.Join(pg, name)
		os.MkdirAll(filepath.Dir(p), 0o700)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if os.Geteuid() == 0 {
		// As an earlier pukeko would have left it: owned by its user.
		uid := nobodyUID(t)
		filepath.WalkDir(in.dataDir(), func(path string, d fs.DirEntry, err error) error {
			if err == nil {
				os.Lchown(path, uid, uid)
			}
			return nil
		})
	}
	before := treeChecksum(t, pg)

	for _, args := range [][]string{{"migrate"}, {"serve"}} {
		_, errs, code := in.run("", args...)
		if code == 0 {
			t.Fatalf("%v started on a PostgreSQL 9.6 data directory", args)
		}
		for _, want := range []string{"PostgreSQL 9.6", "Nothing was changed"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%v: the error does not say %q:\n%s", args, want, errs)
			}
		}
	}
	if after := treeChecksum(t, pg); after != before {
		t.Fatal("the data directory of another version was modified")
	}
}

// treeChecksum hashes every path, mode and content under root (not owners:
// as root, pukeko hands data_dir to its unprivileged user before starting).
func treeChecksum(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		h.Write([]byte(rel + "\x00" + info.Mode().String() + "\x00"))
		if d.Type().IsRegular() {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			h.Write(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}
