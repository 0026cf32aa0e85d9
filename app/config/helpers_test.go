package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes content to dir/name and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadYAML loads content as the config file (none when content is "") with
// env, in a fresh working directory and without the default search paths.
func loadYAML(t *testing.T, content string, env ...string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	opts := LoadOptions{Env: env, Getwd: dir, SearchPaths: []string{}}
	if content != "" {
		opts.Path = writeFile(t, dir, "config.yaml", content)
	}
	return Load(opts)
}

// wantErr fails unless err is non-nil and contains every substring.
func wantErr(t *testing.T, err error, subs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("expected an error containing %q, got nil", subs)
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
}
