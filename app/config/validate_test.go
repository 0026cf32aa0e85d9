package config

import (
	"strings"
	"testing"
)

func TestValidateRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		env  []string
		want []string
	}{
		{"log level", "log:\n  level: verbose\n", nil, []string{"log.level", `"verbose"`}},
		{"log format", "log:\n  format: xml\n", nil, []string{"log.format", `"xml"`}},
		{"tls mode", "server:\n  tls:\n    mode: on\n", nil, []string{"server.tls.mode", `"on"`}},
		{"listen without port", "server:\n  listen: localhost\n", nil, []string{"server.listen"}},
		{"listen bad port", "server:\n  listen: \":http\"\n", nil, []string{"server.listen", "port"}},
		{"listen port too big", "server:\n  listen: \"0.0.0.0:70000\"\n", nil, []string{"server.listen", "70000"}},
		{"bundled port zero", "", []string{"PUKEKO_DATABASE_BUNDLED_PORT=0"}, []string{"database.bundled.port"}},
		{"bundled port too big", "database:\n  bundled:\n    port: 65536\n", nil, []string{"database.bundled.port"}},
		{"max connections too small", "database:\n  max_connections: 1\n", nil, []string{"database.max_connections"}},
		{"max connections too big", "", []string{"PUKEKO_DATABASE_MAX_CONNECTIONS=1001"}, []string{"database.max_connections"}},
		{"shutdown timeout zero", "server:\n  shutdown_timeout: 0s\n", nil, []string{"server.shutdown_timeout"}},
		{"connect timeout negative", "", []string{"PUKEKO_DATABASE_CONNECT_TIMEOUT=-5s"}, []string{"database.connect_timeout"}},
		{"stator concurrency zero", "stator:\n  concurrency: 0\n", nil, []string{"stator.concurrency", "between 1 and 1000", "got 0"}},
		{"stator concurrency too big", "", []string{"PUKEKO_STATOR_CONCURRENCY=1001"}, []string{"stator.concurrency", "got 1001"}},
		{"stator poll interval too short", "stator:\n  poll_interval: 9ms\n", nil, []string{"stator.poll_interval", "at least 10ms", "got 9ms"}},
		{"stator poll interval negative", "", []string{"PUKEKO_STATOR_POLL_INTERVAL=-1s"}, []string{"stator.poll_interval"}},
		{"stator lease too short", "", []string{"PUKEKO_STATOR_LEASE=999ms"}, []string{"stator.lease", "at least 1s", "got 999ms"}},
		{"metrics token with space", "", []string{"PUKEKO_METRICS_TOKEN=hunter22 and more"}, []string{"metrics.token", "visible ASCII"}},
		{"metrics token with newline", "metrics:\n  token: \"hunter22\\n\"\n", nil, []string{"metrics.token"}},
		{"body size zero", "server:\n  max_body_size: 0\n", nil, []string{"server.max_body_size"}},
		{"domain with scheme", "main_domain: https://example.com\n", nil, []string{"main_domain", "scheme"}},
		{"domain with path", "main_domain: example.com/social\n", nil, []string{"main_domain", "path"}},
		{"domain with port", "main_domain: example.com:8443\n", nil, []string{"main_domain", "port"}},
		{"domain with underscore", "main_domain: my_host.example\n", nil, []string{"main_domain"}},
		{"domain empty", "main_domain: \"\"\n", nil, []string{"main_domain"}},
		{"short secret key", "", []string{"PUKEKO_SECRET_KEY=short"}, []string{"secret_key", "32"}},
		{
			"files without cert and key", "server:\n  tls:\n    mode: files\n", nil,
			[]string{"server.tls.mode", "server.tls.cert_file", "server.tls.key_file"},
		},
		{
			"files without key", "server:\n  tls:\n    mode: files\n    cert_file: c.pem\n", nil,
			[]string{"server.tls.mode", "server.tls.key_file"},
		},
		{
			"cert file while off", "server:\n  tls:\n    cert_file: c.pem\n", nil,
			[]string{"server.tls.cert_file", "server.tls.mode"},
		},
		{
			"key file while auto", "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    key_file: k.pem\n", nil,
			[]string{"server.tls.key_file", "server.tls.mode"},
		},
		{"auto with localhost", "server:\n  tls:\n    mode: auto\n", nil, []string{"server.tls.mode", "main_domain", "localhost"}},
		{"auto with IP", "main_domain: 192.0.2.10\nserver:\n  tls:\n    mode: auto\n", nil, []string{"server.tls.mode", "main_domain", "192.0.2.10"}},
		{
			"bundled data dir inside runtime dir", "data_dir: /srv/pukeko\ndatabase:\n  bundled:\n    data_dir: /srv/pukeko/run/pg\n", nil,
			[]string{"database.bundled.data_dir", "/srv/pukeko/run"},
		},
		{
			"bundled data dir equal to runtime dir", "data_dir: /srv/pukeko\ndatabase:\n  bundled:\n    data_dir: /srv/pukeko/run/\n", nil,
			[]string{"database.bundled.data_dir", "/srv/pukeko/run"},
		},
		{
			"bundled data dir containing runtime dir", "data_dir: /srv/pukeko\ndatabase:\n  bundled:\n    data_dir: /srv\n", nil,
			[]string{"database.bundled.data_dir", "/srv/pukeko/run"},
		},
		{
			"bundled data dir equal to data_dir", "data_dir: /srv/pukeko\ndatabase:\n  bundled:\n    data_dir: /srv/pukeko\n", nil,
			[]string{"database.bundled.data_dir"},
		},
		{"database url garbage", "", []string{"PUKEKO_DATABASE_URL=not a url"}, []string{"database.url"}},
		{"database url bad port", "", []string{"PUKEKO_DATABASE_URL=postgres://u:hunter22@db:99999/x"}, []string{"database.url", "u:****@db"}},
		{"database dsn unterminated quote", "", []string{"PUKEKO_DATABASE_URL=host=db password='hunter22 and more"}, []string{"database.url", "password=****"}},
		{"database dsn bad port", "", []string{"PUKEKO_DATABASE_URL=host=db password=hunter22 port=abc"}, []string{"database.url", "password=****"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadYAML(t, tt.file, tt.env...)
			wantErr(t, err, tt.want...)
			if err != nil && (strings.Contains(err.Error(), "hunter22") || strings.Contains(err.Error(), "and more")) {
				t.Errorf("error leaks the database password: %v", err)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		env  []string
	}{
		{"tls files", "server:\n  tls:\n    mode: files\n    cert_file: c.pem\n    key_file: k.pem\n", nil},
		{"tls auto public domain", "main_domain: Social.Example\nserver:\n  tls:\n    mode: auto\n    email: admin@social.example\n", nil},
		{"listen any host", "server:\n  listen: \":8080\"\n", nil},
		{"listen ipv6", "server:\n  listen: \"[::1]:0\"\n", nil},
		{"postgres url", "", []string{"PUKEKO_DATABASE_URL=postgres://u:p@db:5432/pukeko?sslmode=disable"}},
		{"postgres dsn", "", []string{"PUKEKO_DATABASE_URL=host=db user=u password=p dbname=pukeko"}},
		{"bundled data dir beside run", "data_dir: /srv/pukeko\ndatabase:\n  bundled:\n    data_dir: /srv/pukeko/runtime\n", nil},
		{"long secret key", "", []string{"PUKEKO_SECRET_KEY=" + strings.Repeat("k", 32)}},
		{"stator lower bounds", "stator:\n  concurrency: 1\n  poll_interval: 10ms\n  lease: 1s\n", nil},
		{"stator upper concurrency", "", []string{"PUKEKO_STATOR_CONCURRENCY=1000"}},
		{"metrics token", "", []string{"PUKEKO_METRICS_TOKEN=Abc-123._~+/="}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := loadYAML(t, tt.file, tt.env...); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestValidateJoinsAllProblems(t *testing.T) {
	t.Parallel()
	_, err := loadYAML(t, "log:\n  level: loud\n  format: xml\ndatabase:\n  max_connections: 0\n")
	wantErr(t, err, "log.level", "log.format", "database.max_connections")
}
