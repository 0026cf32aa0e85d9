package cli_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// A broken configuration stops check-config and serve before they do
// anything, with a message naming the key.
func TestBrokenConfigFailsBeforeDoingAnything(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml string
		env        []string
		want       string
	}{
		{"unknown key", "database:\n  ulr: postgres://x\n", nil, "database.ulr"},
		{"wrong type", "database:\n  bundled:\n    port: fifteen\n", nil, "database.bundled.port"},
		{"wrong type in env", "", []string{"PUKEKO_DATABASE_MAX_CONNECTIONS=many"}, "database.max_connections"},
		{"impossible combination", "server:\n  tls:\n    mode: files\n", nil, "server.tls.cert_file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := newInstance(t, c.env...)
			if err := os.WriteFile(in.config, []byte(c.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"check-config", "serve"} {
				_, errs, code := in.run("", cmd)
				if code != 1 || !strings.Contains(errs, c.want) {
					t.Errorf("%s: exit %d, want 1 and a message naming %s:\n%s", cmd, code, c.want, errs)
				}
			}
			if _, err := os.Stat(in.dataDir()); !os.IsNotExist(err) {
				t.Errorf("data_dir was created although the configuration is broken")
			}
		})
	}
}

func TestCheckConfigAndDump(t *testing.T) {
	t.Parallel()
	in := newInstance(t, "PUKEKO_SECRET_KEY="+strings.Repeat("s3cr3t", 8), "PUKEKO_LOG_FORMAT=json")
	out, errs, code := in.run("", "check-config")
	if code != 0 || !strings.Contains(out, "configuration OK") {
		t.Fatalf("check-config: exit %d\n%s%s", code, out, errs)
	}
	out, _, code = in.run("", "config", "dump")
	if code != 0 || strings.Contains(out, "s3cr3t") || !strings.Contains(out, "format: json") ||
		!strings.Contains(out, "port: "+strconv.Itoa(in.pgPort)) {
		t.Fatalf("config dump: exit %d, secret masked and env applied expected:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(in.dir, "data")); !os.IsNotExist(err) {
		t.Error("config dump created data_dir")
	}
}

func TestHelpAndVersion(t *testing.T) {
	t.Parallel()
	in := newInstance(t)
	out, _, code := in.run("", "help")
	for _, cmd := range []string{"serve", "migrate", "check-config", "config dump", "user create", "version"} {
		if code != 0 || !strings.Contains(out, "  "+cmd+" ") {
			t.Errorf("help does not list %q (exit %d):\n%s", cmd, code, out)
		}
	}
	for _, cmd := range [][]string{{"serve"}, {"migrate"}, {"user", "create"}, {"config", "dump"}, {"check-config"}, {"version"}} {
		_, errs, code := in.run("", append(cmd, "--help")...)
		if code != 0 || !strings.Contains(errs, "Usage: pukeko "+strings.Join(cmd, " ")) {
			t.Errorf("%v --help: exit %d:\n%s", cmd, code, errs)
		}
	}
	out, _, code = in.run("", "version")
	if code != 0 || !strings.HasPrefix(out, "pukeko ") || !strings.Contains(out, "commit ") {
		t.Errorf("version: exit %d: %q", code, out)
	}
	if _, errs, code := in.run("", "frobnicate"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("unknown command: exit %d: %s", code, errs)
	}
	if _, errs, code := in.run("", "user"); code != 2 || !strings.Contains(errs, "user create") {
		t.Errorf("bare group: exit %d: %s", code, errs)
	}
}
