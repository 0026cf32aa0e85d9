package config

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestEnsureSecretKeyGeneratesOnce(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "new-data")
	first := &Config{DataDir: dir}
	generated, err := EnsureSecretKey(first)
	if err != nil {
		t.Fatal(err)
	}
	if !generated || len(first.SecretKey) < minSecretKeyLen {
		t.Fatalf("generated = %v, key length %d", generated, len(first.SecretKey))
	}
	info, err := os.Stat(filepath.Join(dir, SecretKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("secret key file mode = %o, want 600", perm)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o750 {
		t.Errorf("data_dir mode = %v, %v; want 0750", info.Mode().Perm(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}

	second := &Config{DataDir: dir}
	generated, err = EnsureSecretKey(second)
	if err != nil {
		t.Fatal(err)
	}
	if generated || second.SecretKey != first.SecretKey {
		t.Errorf("second call: generated = %v, same key = %v", generated, second.SecretKey == first.SecretKey)
	}
}

func TestEnsureSecretKeyKeepsConfiguredKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c := &Config{DataDir: dir, SecretKey: strings.Repeat("x", 40)}
	generated, err := EnsureSecretKey(c)
	if err != nil || generated || c.SecretKey != strings.Repeat("x", 40) {
		t.Fatalf("generated = %v, err = %v", generated, err)
	}
	if _, err := os.Stat(filepath.Join(dir, SecretKeyFile)); !os.IsNotExist(err) {
		t.Errorf("a key file was written although a key was configured: %v", err)
	}
}

func TestEnsureSecretKeyReadsExisting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		content string
		want    string
		wantErr bool
	}{
		{"trimmed", "  " + strings.Repeat("a", 32) + "\n", strings.Repeat("a", 32), false},
		{"too short", "tooshort\n", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, dir, SecretKeyFile, tt.content)
			c := &Config{DataDir: dir}
			generated, err := EnsureSecretKey(c)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "tooshort") {
				t.Errorf("error reveals the key: %v", err)
			}
			if generated || c.SecretKey != tt.want {
				t.Errorf("generated = %v, key = %q, want %q", generated, c.SecretKey, tt.want)
			}
		})
	}
}

func TestEnsureSecretKeyRace(t *testing.T) {
	t.Parallel()
	for round := range 20 {
		dir := filepath.Join(t.TempDir(), "data")
		const n = 8
		configs := make([]*Config, n)
		generated := make([]bool, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			configs[i] = &Config{DataDir: dir}
			wg.Go(func() {
				<-start
				generated[i], errs[i] = EnsureSecretKey(configs[i])
			})
		}
		close(start)
		wg.Wait()
		winners := 0
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("round %d: goroutine %d: %v", round, i, errs[i])
			}
			if configs[i].SecretKey != configs[0].SecretKey {
				t.Fatalf("round %d: goroutines ended with different keys", round)
			}
			if generated[i] {
				winners++
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d goroutines report generating the key, want 1", round, winners)
		}
		data, err := os.ReadFile(filepath.Join(dir, SecretKeyFile))
		if err != nil || strings.TrimSpace(string(data)) != configs[0].SecretKey {
			t.Fatalf("round %d: file does not hold the shared key (err %v)", round, err)
		}
	}
}
