package config

import (
	"path/filepath"
	"time"
)

// Config is the effective configuration of a Pukeko server.
type Config struct {
	MainDomain string // main_domain: public hostname of the instance
	DataDir    string // data_dir: absolute directory holding all server state
	SecretKey  string // secret_key: signing secret (see EnsureSecretKey)
	Server     ServerConfig
	Database   DatabaseConfig
	Log        LogConfig
	Stator     StatorConfig
	Metrics    MetricsConfig
	Source     string // path of the config file used, "" when none (not a key)
}

// ServerConfig holds the server.* keys.
type ServerConfig struct {
	Listen          string        // server.listen: host:port
	User            string        // server.user: unprivileged system user
	MaxBodyBytes    int64         // server.max_body_size: request body limit in bytes
	ShutdownTimeout time.Duration // server.shutdown_timeout: graceful shutdown limit
	TLS             TLSConfig
}

// TLSConfig holds the server.tls.* keys.
type TLSConfig struct {
	Mode     string // server.tls.mode: "off", "auto" or "files"
	CertFile string // server.tls.cert_file: PEM certificate chain (mode files)
	KeyFile  string // server.tls.key_file: PEM private key (mode files)
	Email    string // server.tls.email: ACME account email (mode auto)
}

// DatabaseConfig holds the database.* keys.
type DatabaseConfig struct {
	URL            string        // database.url: PostgreSQL URL or DSN, "" for bundled
	MaxConnections int           // database.max_connections: pool size
	ConnectTimeout time.Duration // database.connect_timeout: start-up retry window
	Bundled        BundledConfig
}

// BundledConfig holds the database.bundled.* keys.
type BundledConfig struct {
	Port     int    // database.bundled.port: TCP port of the bundled PostgreSQL
	Binaries string // database.bundled.binaries: PostgreSQL binaries, "" to search
	DataDir  string // database.bundled.data_dir: cluster directory (absolute after Load)
}

// LogConfig holds the log.* keys.
type LogConfig struct {
	Level  string // log.level: debug, info, warn or error
	Format string // log.format: text or json
}

// StatorConfig holds the stator.* keys: the background task runner.
type StatorConfig struct {
	Enabled      bool          // stator.enabled: run the Stator task runner inside `pukeko serve`
	Concurrency  int           // stator.concurrency: handlers running at once in one process
	PollInterval time.Duration // stator.poll_interval: idle re-check interval without a wake-up
	Lease        time.Duration // stator.lease: how long a claimed row stays reserved
}

// MetricsConfig holds the metrics.* keys.
type MetricsConfig struct {
	Token string // metrics.token: bearer token for GET /metrics, "" for loopback only
}

// runtimeDirName is the name of the bundled PostgreSQL runtime directory
// inside data_dir.
const runtimeDirName = "run"

// BundledRuntimeDir returns <data_dir>/run, the directory holding the bundled
// PostgreSQL's socket and lock files. It may be wiped at any time.
func (c *Config) BundledRuntimeDir() string {
	return filepath.Join(c.DataDir, runtimeDirName)
}

// Bundled reports whether the bundled PostgreSQL is used, that is whether
// database.url is empty.
func (c *Config) Bundled() bool {
	return c.Database.URL == ""
}
