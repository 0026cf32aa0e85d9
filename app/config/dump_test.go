package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDumpMasksSecrets(t *testing.T) {
	t.Parallel()
	const key = "SuperSecretKeyValue-0123456789-abcdefghij"
	const token = "MetricsScrapeToken-9876543210"
	tests := []struct {
		name    string
		url     string
		wantURL string
		secrets []string
	}{
		{"url", "postgres://pukeko:Hunter2Pass@db.internal:5432/pukeko?sslmode=require", "postgres://pukeko:****@db.internal:5432/pukeko?sslmode=require", []string{"Hunter2Pass"}},
		{"url with query password", "postgresql://db/pukeko?user=u&password=QueryPass9", "postgresql://db/pukeko?user=u&password=****", []string{"QueryPass9"}},
		{"dsn", "host=db user=pukeko password=DsnPass77 dbname=pukeko", "host=db user=pukeko password=**** dbname=pukeko", []string{"DsnPass77"}},
		{"quoted dsn", "host=db password='Quoted Pass 5' dbname=pukeko", "host=db password=**** dbname=pukeko", []string{"Quoted", "Pass 5"}},
		{"url without password", "postgres://pukeko@db/pukeko", "postgres://pukeko@db/pukeko", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := loadYAML(t, "", "PUKEKO_SECRET_KEY="+key, "PUKEKO_DATABASE_URL="+tt.url, "PUKEKO_METRICS_TOKEN="+token)
			if err != nil {
				t.Fatal(err)
			}
			out := c.Dump()
			for _, s := range append(tt.secrets, key, key[:12], token, token[:12]) {
				if strings.Contains(out, s) {
					t.Errorf("Dump contains secret %q:\n%s", s, out)
				}
			}
			if !strings.Contains(out, `secret_key: "********"`) {
				t.Errorf("Dump does not mask secret_key:\n%s", out)
			}
			if !strings.Contains(out, "metrics:\n  token: \"********\"\n") {
				t.Errorf("Dump does not mask metrics.token:\n%s", out)
			}
			if !strings.Contains(out, tt.wantURL) {
				t.Errorf("Dump does not contain masked URL %q:\n%s", tt.wantURL, out)
			}
		})
	}
}

func TestDumpFormat(t *testing.T) {
	t.Parallel()
	c, err := loadYAML(t, "")
	if err != nil {
		t.Fatal(err)
	}
	out := c.Dump()
	for _, want := range []string{
		"# no config file: defaults and environment\n",
		"main_domain: localhost\n",
		"secret_key: \"\"\n",
		"server:\n  listen: 127.0.0.1:8080\n",
		"  max_body_size: 16MiB\n",
		"  shutdown_timeout: 10s\n",
		"  tls:\n    mode: \"off\"\n",
		"database:\n  url: \"\"\n",
		"  connect_timeout: 60s\n",
		"  bundled:\n    port: 15432\n",
		"    data_dir: " + filepath.Join(c.DataDir, "postgres") + "\n",
		"log:\n  level: info\n  format: text\n",
		"stator:\n  enabled: true\n  concurrency: 16\n  poll_interval: 5s\n  lease: 120s\n",
		"metrics:\n  token: \"\"\n",
		"  public_scheme: https\n  tls:\n",
		"    ca: https://acme-v02.api.letsencrypt.org/directory\n",
		"    http_listen: :80\n    https_listen: :443\n    storage: file\n",
		"federation:\n  allow_private_addresses: false\n  resolve: []\n  identity_refresh: 24h\n  max_date_skew: 12h\n  request_timeout: 10s\n  max_response_size: 4MiB\n  max_inbox_size: 1MiB\n",
		"users:\n  max_identities: 5\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Dump lacks %q:\n%s", want, out)
		}
	}
	for _, o := range Options() {
		leaf := o.Key[strings.LastIndex(o.Key, ".")+1:]
		if !strings.Contains(out, leaf+":") {
			t.Errorf("Dump lacks key %s", o.Key)
		}
	}
}

func TestDumpRoundTrip(t *testing.T) {
	t.Parallel()
	c, err := loadYAML(t, `
main_domain: social.example
server:
  listen: "[::]:8443"
  max_body_size: 10MB
  shutdown_timeout: 1500ms
  public_scheme: https
  tls:
    mode: files
    cert_file: c.pem
    key_file: "k: weird.pem"
    certs_dir: "certs, here"
    https_listen: "[::1]:8443"
database:
  url: postgres://pukeko@db/pukeko
  connect_timeout: 2h
log:
  format: json
stator:
  enabled: false
  concurrency: 3
  poll_interval: 150ms
  lease: 90s
federation:
  allow_private_addresses: true
  resolve:
    - a.test=127.0.0.1:8443
    - "b.test=[::1]:9443"
  identity_refresh: 90m
  max_inbox_size: 300kB
users:
  max_identities: 7
`)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	again, err := Load(LoadOptions{Path: writeFile(t, dir, "dump.yaml", c.Dump()), Getwd: dir, SearchPaths: []string{}})
	if err != nil {
		t.Fatalf("loading Dump output: %v\n%s", err, c.Dump())
	}
	if !strings.HasPrefix(c.Dump(), "# config file: "+c.Source+"\n") {
		t.Errorf("Dump does not name its source:\n%s", c.Dump())
	}
	again.Source = c.Source
	if !reflect.DeepEqual(c, again) {
		t.Errorf("round trip changed the config:\n got %+v\nwant %+v", again, c)
	}
}
