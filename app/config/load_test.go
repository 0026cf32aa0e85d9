package config

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestLoadDefaultsWithoutFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := Load(LoadOptions{Getwd: dir, SearchPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	checks := []struct {
		name      string
		got, want any
	}{
		{"Source", c.Source, ""},
		{"MainDomain", c.MainDomain, "localhost"},
		{"DataDir", c.DataDir, data},
		{"SecretKey", c.SecretKey, ""},
		{"Server.Listen", c.Server.Listen, "127.0.0.1:8080"},
		{"Server.User", c.Server.User, "pukeko"},
		{"Server.MaxBodyBytes", c.Server.MaxBodyBytes, int64(16 << 20)},
		{"Server.ShutdownTimeout", c.Server.ShutdownTimeout, 10 * time.Second},
		{"Server.TLS.Mode", c.Server.TLS.Mode, "off"},
		{"Database.URL", c.Database.URL, ""},
		{"Database.MaxConnections", c.Database.MaxConnections, 20},
		{"Database.ConnectTimeout", c.Database.ConnectTimeout, 60 * time.Second},
		{"Database.Bundled.Port", c.Database.Bundled.Port, 15432},
		{"Database.Bundled.Binaries", c.Database.Bundled.Binaries, ""},
		{"Database.Bundled.DataDir", c.Database.Bundled.DataDir, filepath.Join(data, "postgres")},
		{"Log.Level", c.Log.Level, "info"},
		{"Log.Format", c.Log.Format, "text"},
		{"Stator.Enabled", c.Stator.Enabled, true},
		{"Stator.Concurrency", c.Stator.Concurrency, 16},
		{"Stator.PollInterval", c.Stator.PollInterval, 5 * time.Second},
		{"Stator.Lease", c.Stator.Lease, 2 * time.Minute},
		{"Metrics.Token", c.Metrics.Token, ""},
		{"Server.PublicScheme", c.Server.PublicScheme, "https"},
		{"Server.TLS.CA", c.Server.TLS.CA, "https://acme-v02.api.letsencrypt.org/directory"},
		{"Server.TLS.CARoot", c.Server.TLS.CARoot, ""},
		{"Server.TLS.HTTPListen", c.Server.TLS.HTTPListen, ":80"},
		{"Server.TLS.HTTPSListen", c.Server.TLS.HTTPSListen, ":443"},
		{"Server.TLS.Storage", c.Server.TLS.Storage, "file"},
		{"Server.TLS.CertsDir", c.Server.TLS.CertsDir, ""},
		{"Federation.AllowPrivateAddresses", c.Federation.AllowPrivateAddresses, false},
		{"Federation.Resolve", c.Federation.Resolve, []string{}},
		{"Federation.IdentityRefresh", c.Federation.IdentityRefresh, 24 * time.Hour},
		{"Federation.MaxDateSkew", c.Federation.MaxDateSkew, 12 * time.Hour},
		{"Federation.RequestTimeout", c.Federation.RequestTimeout, 10 * time.Second},
		{"Federation.MaxResponseSize", c.Federation.MaxResponseSize, int64(4 << 20)},
		{"Federation.MaxInboxSize", c.Federation.MaxInboxSize, int64(1 << 20)},
		{"Users.MaxIdentities", c.Users.MaxIdentities, 5},
		{"Bundled()", c.Bundled(), true},
		{"BundledRuntimeDir()", c.BundledRuntimeDir(), filepath.Join(data, "run")},
	}
	for _, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("%s = %#v, want %#v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadFileResolution(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		files      map[string]string // relative to the temp dir -> main_domain
		path       string            // LoadOptions.Path, relative to the temp dir
		configEnv  string            // PUKEKO_CONFIG, relative to the temp dir
		search     []string          // relative to the temp dir unless absolute
		wantDomain string
		wantSource string // relative to the temp dir; "" for none
		wantErr    string
	}{
		{
			name:       "cwd config.yaml before etc",
			files:      map[string]string{"work/config.yaml": "cwd.example", "etc/config.yaml": "etc.example"},
			search:     []string{"./config.yaml", "../etc/config.yaml"},
			wantDomain: "cwd.example", wantSource: "work/config.yaml",
		},
		{
			name:       "etc when no cwd file",
			files:      map[string]string{"etc/config.yaml": "etc.example"},
			search:     []string{"./config.yaml", "../etc/config.yaml"},
			wantDomain: "etc.example", wantSource: "etc/config.yaml",
		},
		{
			name:       "no file at all",
			search:     []string{"./config.yaml", "../etc/config.yaml"},
			wantDomain: "localhost",
		},
		{
			name:       "explicit path beats env and search",
			files:      map[string]string{"a.yaml": "a.example", "b.yaml": "b.example", "work/config.yaml": "cwd.example"},
			path:       "a.yaml",
			configEnv:  "b.yaml",
			search:     []string{"./config.yaml"},
			wantDomain: "a.example", wantSource: "a.yaml",
		},
		{
			name:       "PUKEKO_CONFIG beats search",
			files:      map[string]string{"b.yaml": "b.example", "work/config.yaml": "cwd.example"},
			configEnv:  "b.yaml",
			search:     []string{"./config.yaml"},
			wantDomain: "b.example", wantSource: "b.yaml",
		},
		{
			name:    "missing explicit path",
			path:    "missing.yaml",
			wantErr: "missing.yaml",
		},
		{
			name:      "missing PUKEKO_CONFIG path",
			configEnv: "gone.yaml",
			wantErr:   "gone.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			work := filepath.Join(root, "work")
			for name, domain := range tt.files {
				writeFile(t, root, name, "main_domain: "+domain+"\n")
			}
			opts := LoadOptions{Getwd: work, SearchPaths: []string{}}
			for _, s := range tt.search {
				opts.SearchPaths = append(opts.SearchPaths, s)
			}
			if tt.path != "" {
				opts.Path = filepath.Join(root, tt.path)
			}
			if tt.configEnv != "" {
				opts.Env = []string{"PUKEKO_CONFIG=" + filepath.Join(root, tt.configEnv)}
			}
			c, err := Load(opts)
			if tt.wantErr != "" {
				wantErr(t, err, tt.wantErr)
				if !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("error %v does not wrap fs.ErrNotExist", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.MainDomain != tt.wantDomain {
				t.Errorf("MainDomain = %q, want %q", c.MainDomain, tt.wantDomain)
			}
			wantSource := ""
			if tt.wantSource != "" {
				wantSource = filepath.Join(root, tt.wantSource)
			}
			if c.Source != wantSource {
				t.Errorf("Source = %q, want %q", c.Source, wantSource)
			}
		})
	}
}

func TestLoadEnvBeatsFile(t *testing.T) {
	t.Parallel()
	file := `
main_domain: file.example
database:
  url: postgres://file@db/file
  bundled:
    port: 20000
log:
  level: warn
  format: json
stator:
  concurrency: 4
  poll_interval: 250ms
metrics:
  token: file-token
`
	c, err := loadYAML(t, file,
		"PUKEKO_STATOR_CONCURRENCY=32",
		"PUKEKO_STATOR_ENABLED=false",
		"PUKEKO_STATOR_LEASE=45s",
		"PUKEKO_METRICS_TOKEN=env-token",
		"PUKEKO_DATABASE_URL=postgres://env@db/env",
		"PUKEKO_DATABASE_BUNDLED_PORT=25432",
		"PUKEKO_LOG_LEVEL=debug",
		"PUKEKO_MAIN_DOMAIN=Env.Example",
		"PUKEKO_SERVER_MAX_BODY_SIZE=1MiB",
		"PUKEKO_SERVER_SHUTDOWN_TIMEOUT=1m30s",
		"PUKEKO_TEST_WHATEVER=ignored",
		"HOME=/nowhere",
	)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"Database.URL", c.Database.URL, "postgres://env@db/env"},
		{"Database.Bundled.Port", c.Database.Bundled.Port, 25432},
		{"Log.Level", c.Log.Level, "debug"},
		{"Log.Format (file only)", c.Log.Format, "json"},
		{"MainDomain (lower-cased)", c.MainDomain, "env.example"},
		{"Server.MaxBodyBytes", c.Server.MaxBodyBytes, int64(1 << 20)},
		{"Server.ShutdownTimeout", c.Server.ShutdownTimeout, 90 * time.Second},
		{"Stator.Concurrency", c.Stator.Concurrency, 32},
		{"Stator.Enabled", c.Stator.Enabled, false},
		{"Stator.PollInterval (file only)", c.Stator.PollInterval, 250 * time.Millisecond},
		{"Stator.Lease", c.Stator.Lease, 45 * time.Second},
		{"Metrics.Token", c.Metrics.Token, "env-token"},
		{"Bundled()", c.Bundled(), false},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadRelativePaths(t *testing.T) {
	t.Parallel()
	c, err := loadYAML(t, `
data_dir: state
server:
  tls:
    mode: files
    cert_file: tls/cert.pem
    key_file: /abs/key.pem
    certs_dir: tls/certs
    ca_root: roots.pem
database:
  bundled:
    binaries: pg/bin
    data_dir: ../pgdata
`)
	if err != nil {
		t.Fatal(err)
	}
	wd := filepath.Dir(c.Source)
	checks := []struct{ name, got, want string }{
		{"DataDir", c.DataDir, filepath.Join(wd, "state")},
		{"CertFile", c.Server.TLS.CertFile, filepath.Join(wd, "tls/cert.pem")},
		{"KeyFile", c.Server.TLS.KeyFile, "/abs/key.pem"},
		{"CertsDir", c.Server.TLS.CertsDir, filepath.Join(wd, "tls/certs")},
		{"CARoot", c.Server.TLS.CARoot, filepath.Join(wd, "roots.pem")},
		{"Binaries", c.Database.Bundled.Binaries, filepath.Join(wd, "pg/bin")},
		{"Bundled.DataDir", c.Database.Bundled.DataDir, filepath.Join(filepath.Dir(wd), "pgdata")},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %q, want %q", ch.name, ch.got, ch.want)
		}
	}
}

func TestLoadAcceptsEmptyishFiles(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"empty":         "\n",
		"comments only": "# nothing here\n  # still nothing\n",
		"empty section": "server:\nlog:\n",
		"null value":    "database:\n  url:\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := loadYAML(t, content)
			if err != nil {
				t.Fatal(err)
			}
			if c.Source == "" || c.MainDomain != "localhost" || c.Database.Bundled.Port != 15432 || !c.Bundled() {
				t.Errorf("not the defaults: %+v", c)
			}
		})
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		env  []string
		want []string
	}{
		{
			name: "unknown key in file",
			file: "databse:\n  url: postgres://x@y/z\n",
			want: []string{`unknown key "databse.url"`, "config.yaml", `did you mean "database.url"`},
		},
		{
			name: "unknown top-level key",
			file: "listen: 1.2.3.4:80\n",
			want: []string{`unknown key "listen"`, `did you mean "server.listen"`},
		},
		{
			name: "unknown env var",
			env:  []string{"PUKEKO_DATABSE_URL=postgres://x@y/z"},
			want: []string{"PUKEKO_DATABSE_URL", "did you mean PUKEKO_DATABASE_URL"},
		},
		{
			name: "string for port in file",
			file: "database:\n  bundled:\n    port: \"15432\"\n",
			want: []string{"database.bundled.port: expected an integer, got \"15432\"", "config.yaml"},
		},
		{
			name: "float for int in file",
			file: "database:\n  max_connections: 2.5\n",
			want: []string{"database.max_connections: expected an integer, got 2.5"},
		},
		{
			name: "integer for string in file",
			file: "main_domain: 42\n",
			want: []string{"main_domain: expected a string, got 42"},
		},
		{
			name: "integer for duration in file",
			file: "server:\n  shutdown_timeout: 10\n",
			want: []string{"server.shutdown_timeout: expected a duration", "got 10"},
		},
		{
			name: "bad size in file",
			file: "server:\n  max_body_size: 12XB\n",
			want: []string{"server.max_body_size: expected a size", `got "12XB"`},
		},
		{
			name: "section given as scalar",
			file: "server: 5\n",
			want: []string{"server: expected a section", "got 5"},
		},
		{
			name: "nested section given as scalar",
			file: "server:\n  tls: auto\n",
			want: []string{"server.tls: expected a section", `got "auto"`},
		},
		{
			name: "mapping for scalar key",
			file: "main_domain:\n  name: x\n",
			want: []string{"main_domain: expected a string, got a mapping"},
		},
		{
			name: "list for scalar key",
			file: "log:\n  level: [debug]\n",
			want: []string{"log.level: expected a string, got a list"},
		},
		{
			name: "not a mapping at all",
			file: "- a\n- b\n",
			want: []string{"config.yaml"},
		},
		{
			name: "bad int in env",
			env:  []string{"PUKEKO_DATABASE_BUNDLED_PORT=abc"},
			want: []string{`database.bundled.port: expected an integer, got "abc" (from PUKEKO_DATABASE_BUNDLED_PORT)`},
		},
		{
			name: "bad duration in env",
			env:  []string{"PUKEKO_DATABASE_CONNECT_TIMEOUT=60"},
			want: []string{"database.connect_timeout: expected a duration", "(from PUKEKO_DATABASE_CONNECT_TIMEOUT)"},
		},
		{
			name: "bad bool in env",
			env:  []string{"PUKEKO_STATOR_ENABLED=maybe"},
			want: []string{`stator.enabled: expected a boolean (true or false), got "maybe" (from PUKEKO_STATOR_ENABLED)`},
		},
		{
			name: "string for bool in file",
			file: "stator:\n  enabled: \"false\"\n",
			want: []string{`stator.enabled: expected a boolean (true or false), got "false"`},
		},
		{
			name: "bad int in env for stator",
			env:  []string{"PUKEKO_STATOR_CONCURRENCY=lots"},
			want: []string{`stator.concurrency: expected an integer, got "lots" (from PUKEKO_STATOR_CONCURRENCY)`},
		},
		{
			name: "secret value not echoed",
			file: "secret_key: 1234567890123456\n",
			want: []string{"secret_key: expected a string, got an integer"},
		},
		{
			name: "scalar for list in file",
			file: "federation:\n  resolve: a.test=127.0.0.1:8443\n",
			want: []string{`federation.resolve: expected a list of strings, got "a.test=127.0.0.1:8443"`, "config.yaml"},
		},
		{
			name: "non-string list item in file",
			file: "federation:\n  resolve:\n    - a.test=127.0.0.1:8443\n    - 42\n",
			want: []string{"federation.resolve: expected a list of strings, got a list whose item 2 is 42"},
		},
		{
			name: "nested list item in file",
			file: "federation:\n  resolve: [[a]]\n",
			want: []string{"federation.resolve: expected a list of strings, got a list whose item 1 is a list"},
		},
		{
			name: "mapping for list in file",
			file: "federation:\n  resolve:\n    a.test: 127.0.0.1:8443\n",
			want: []string{"federation.resolve: expected a list of strings, got a mapping"},
		},
		{
			name: "federation given as scalar",
			file: "federation: on\n",
			want: []string{"federation: expected a section"},
		},
		{
			name: "all problems reported together",
			file: "bogus: 1\nlog:\n  level: 3\n",
			env:  []string{"PUKEKO_NOPE=1"},
			want: []string{`unknown key "bogus"`, "log.level: expected a string", "PUKEKO_NOPE"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := loadYAML(t, tt.file, tt.env...)
			wantErr(t, err, tt.want...)
			if tt.name == "secret value not echoed" && err != nil && strings.Contains(err.Error(), "1234567890") {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestLoadIgnoresReservedEnv(t *testing.T) {
	t.Parallel()
	_, err := loadYAML(t, "", "PUKEKO_TEST_X=1", "PUKEKO_TEST_=", "PUKEKO_CONFIG=", "OTHER_THING=1", "NOEQUALS")
	if err != nil {
		t.Fatal(err)
	}
}
