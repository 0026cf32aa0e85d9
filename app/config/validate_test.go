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
		{"public scheme", "server:\n  public_scheme: ftp\n", nil, []string{"server.public_scheme", `"ftp"`}},
		{"tls storage", "", []string{"PUKEKO_SERVER_TLS_STORAGE=redis"}, []string{"server.tls.storage", `"redis"`}},
		{"http listen without port", "server:\n  tls:\n    http_listen: \"80\"\n", nil, []string{"server.tls.http_listen"}},
		{"https listen bad port", "", []string{"PUKEKO_SERVER_TLS_HTTPS_LISTEN=:https"}, []string{"server.tls.https_listen", "port"}},
		{"ca not a URL", "server:\n  tls:\n    ca: acme.example/directory\n", nil, []string{"server.tls.ca", "absolute http or https URL"}},
		{"ca wrong scheme", "", []string{"PUKEKO_SERVER_TLS_CA=ftp://acme.example/dir"}, []string{"server.tls.ca"}},
		{"ca empty", "server:\n  tls:\n    ca: \"\"\n", nil, []string{"server.tls.ca"}},
		{"identity refresh zero", "federation:\n  identity_refresh: 0s\n", nil, []string{"federation.identity_refresh", "positive"}},
		{"date skew negative", "", []string{"PUKEKO_FEDERATION_MAX_DATE_SKEW=-1h"}, []string{"federation.max_date_skew", "positive"}},
		{"request timeout zero", "", []string{"PUKEKO_FEDERATION_REQUEST_TIMEOUT=0s"}, []string{"federation.request_timeout", "positive"}},
		{"response size zero", "federation:\n  max_response_size: 0\n", nil, []string{"federation.max_response_size", "positive"}},
		{"inbox size zero", "", []string{"PUKEKO_FEDERATION_MAX_INBOX_SIZE=0B"}, []string{"federation.max_inbox_size", "positive"}},
		{"max identities zero", "users:\n  max_identities: 0\n", nil, []string{"users.max_identities", "between 1 and 1000", "got 0"}},
		{"max identities too big", "", []string{"PUKEKO_USERS_MAX_IDENTITIES=1001"}, []string{"users.max_identities", "got 1001"}},
		{"resolve bad IP", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=localhost:8443"}, []string{"federation.resolve", "item 1", `"localhost" is not an IP address`}},
		{"resolve missing port", "federation:\n  resolve: [\"a.test=127.0.0.1\"]\n", nil, []string{"federation.resolve", "item 1", "a.test=127.0.0.1"}},
		{"resolve port zero", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:0"}, []string{"federation.resolve", "port"}},
		{"resolve port not a number", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:https"}, []string{"federation.resolve", "port"}},
		{"resolve IPv6 without brackets", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=::1:8443"}, []string{"federation.resolve", "brackets"}},
		{"resolve without equals", "", []string{"PUKEKO_FEDERATION_RESOLVE=127.0.0.1:8443"}, []string{"federation.resolve", "host=ip:port"}},
		{"resolve bad host", "", []string{"PUKEKO_FEDERATION_RESOLVE=a_b.test=127.0.0.1:8443"}, []string{"federation.resolve", "host"}},
		{"resolve empty item", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:8443,"}, []string{"federation.resolve", "item 2"}},
		{
			"resolve duplicate host", "federation:\n  resolve:\n    - a.test=127.0.0.1:8443\n    - b.test=127.0.0.1:9443\n    - A.Test=[::1]:8443\n", nil,
			[]string{"federation.resolve", `host "a.test" appears twice`, "items 1 and 3"},
		},
		{
			"files with neither form", "server:\n  tls:\n    mode: files\n", nil,
			[]string{"server.tls.mode", "server.tls.certs_dir"},
		},
		{
			"files with certs dir and half a pair", "server:\n  tls:\n    mode: files\n    certs_dir: certs\n    key_file: k.pem\n", nil,
			[]string{"server.tls.key_file", "server.tls.cert_file"},
		},
		{
			"certs dir while off", "server:\n  tls:\n    certs_dir: certs\n", nil,
			[]string{"server.tls.certs_dir", "server.tls.mode", `"off"`},
		},
		{
			"certs dir while auto", "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    certs_dir: certs\n", nil,
			[]string{"server.tls.certs_dir", `"auto"`},
		},
		{
			"ca root missing in auto", "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    ca_root: missing-root.pem\n", nil,
			[]string{"server.tls.ca_root", "missing-root.pem"},
		},
		{
			"ca root is a directory in auto", "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    ca_root: /\n", nil,
			[]string{"server.tls.ca_root", "not a regular file"},
		},
		{
			"http scheme with auto", "main_domain: social.example\nserver:\n  public_scheme: http\n  tls:\n    mode: auto\n", nil,
			[]string{"server.public_scheme", `"http"`, "server.tls.mode", `"auto"`},
		},
		{
			"http scheme with files", "server:\n  public_scheme: http\n  tls:\n    mode: files\n    certs_dir: certs\n", nil,
			[]string{"server.public_scheme", "server.tls.mode", `"files"`},
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
		{"tls files with certs dir only", "server:\n  tls:\n    mode: files\n    certs_dir: certs\n", nil},
		{"tls files with both forms", "server:\n  tls:\n    mode: files\n    cert_file: c.pem\n    key_file: k.pem\n    certs_dir: certs\n", nil},
		{"tls auto options", "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    storage: postgres\n    ca: http://127.0.0.1:14000/dir\n    http_listen: 127.0.0.1:5002\n    https_listen: \"[::1]:5001\"\n", nil},
		{"ca root unchecked while off", "server:\n  tls:\n    ca_root: missing-root.pem\n", nil},
		{"http scheme while off", "server:\n  public_scheme: http\n", nil},
		{"resolve good", "federation:\n  resolve: [\"a.test=127.0.0.1:8443\", \"B.Test=[::1]:9443\", \"localhost=127.0.0.1:1\"]\n", nil},
		{"resolve good from env", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:8443, b.test=[fe80::1]:65535"}},
		{"federation bounds", "federation:\n  allow_private_addresses: true\n  request_timeout: 1ms\n  max_response_size: 1\n  max_inbox_size: 1B\n", nil},
		{"max identities bounds", "users:\n  max_identities: 1000\n", nil},
		{"max identities one", "", []string{"PUKEKO_USERS_MAX_IDENTITIES=1"}},
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
