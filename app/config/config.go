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
	Federation FederationConfig
	Users      UsersConfig
	API        APIConfig
	OAuth      OAuthConfig
	Email      EmailConfig
	Signup     SignupConfig
	Posts      PostsConfig
	Media      MediaConfig
	Cards      CardsConfig
	// Translation and AnnualReports: translation.* and annual_reports.*
	// (translation.go, annual_reports.go).
	Translation   TranslationConfig
	AnnualReports AnnualReportsConfig
	Source        string // path of the config file used, "" when none (not a key)
}

// ServerConfig holds the server.* keys.
type ServerConfig struct {
	Listen          string        // server.listen: host:port
	User            string        // server.user: unprivileged system user
	MaxBodyBytes    int64         // server.max_body_size: request body limit in bytes
	ShutdownTimeout time.Duration // server.shutdown_timeout: graceful shutdown limit
	PublicScheme    string        // server.public_scheme: "https" or "http", scheme of minted URIs
	TLS             TLSConfig
}

// TLSConfig holds the server.tls.* keys.
type TLSConfig struct {
	Mode        string // server.tls.mode: "off", "auto" or "files"
	CertFile    string // server.tls.cert_file: PEM certificate chain (mode files; absolute after Load)
	KeyFile     string // server.tls.key_file: PEM private key (mode files; absolute after Load)
	Email       string // server.tls.email: ACME account email (mode auto)
	CA          string // server.tls.ca: ACME directory URL (mode auto)
	CARoot      string // server.tls.ca_root: PEM file of extra roots for the ACME server, "" for none (absolute after Load)
	HTTPListen  string // server.tls.http_listen: HTTP-01 challenges and redirects (mode auto)
	HTTPSListen string // server.tls.https_listen: HTTPS address (modes auto and files)
	Storage     string // server.tls.storage: "file" (<data_dir>/certmagic) or "postgres" (mode auto)
	CertsDir    string // server.tls.certs_dir: <domain>.crt/.key pairs, reloaded on change (mode files; absolute after Load)
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

// FederationConfig holds the federation.* keys.
type FederationConfig struct {
	AllowPrivateAddresses bool          // federation.allow_private_addresses: allow loopback, private and link-local peers
	Resolve               []string      // federation.resolve: "host=ip:port" DNS overrides (hosts lower-cased by Load); never nil after Load
	IdentityRefresh       time.Duration // federation.identity_refresh: maximum age of a remote profile before refetching
	MaxDateSkew           time.Duration // federation.max_date_skew: allowed clock difference in signed requests
	RequestTimeout        time.Duration // federation.request_timeout: timeout of one outgoing request
	MaxResponseSize       int64         // federation.max_response_size: largest remote response body in bytes
	MaxInboxSize          int64         // federation.max_inbox_size: largest inbox POST body in bytes
}

// UsersConfig holds the users.* keys.
type UsersConfig struct {
	MaxIdentities int // users.max_identities: identities one user may own
}

// APIConfig holds the api.* keys: the Mastodon client API.
type APIConfig struct {
	RateLimit  int           // api.rate_limit: requests per window and token (or address); 0: no limit
	RateWindow time.Duration // api.rate_window
}

// OAuthConfig holds the oauth.* keys.
type OAuthConfig struct {
	PasswordGrant bool // oauth.password_grant: allow grant_type=password
}

// EmailConfig holds the email.* keys: outgoing email over SMTP.
type EmailConfig struct {
	SMTPHost     string // email.smtp_host: "" sends no email
	SMTPPort     int    // email.smtp_port
	SMTPUsername string // email.smtp_username: "" for no login
	SMTPPassword string // email.smtp_password
	From         string // email.from: sender, "" for notifications@<main_domain>
	TLS          string // email.tls: "starttls", "tls" or "none"
}

// SignupConfig holds the signup.* keys.
type SignupConfig struct {
	ConfirmEmail bool // signup.confirm_email: new users confirm their address (when email is configured)
}

// PostsConfig holds the posts.* keys.
type PostsConfig struct {
	MaxCharacters           int // posts.max_characters: text and content warning together
	MaxAttachments          int // posts.max_attachments: media attachments of one post
	MaxPins                 int // posts.max_pins: pinned posts per identity
	MaxPollOptions          int // posts.max_poll_options: options of one poll
	MaxPollOptionCharacters int // posts.max_poll_option_characters: characters of one option
}

// MediaConfig holds the media.* keys.
type MediaConfig struct {
	Backend         string // media.backend: "local" or "s3"
	Path            string // media.path: local backend directory (absolute after Load)
	S3              S3Config
	MaxImageSize    int64 // media.max_image_size: bytes
	MaxVideoSize    int64 // media.max_video_size: bytes
	MaxAudioSize    int64 // media.max_audio_size: bytes
	MaxEmojiSize    int64 // media.max_emoji_size: bytes
	MaxImagePixels  int   // media.max_image_pixels: larger images are scaled down
	MaxDecodePixels int   // media.max_decode_pixels: larger images are refused
	SyncPixels      int   // media.sync_pixels: larger uploads are processed in the background
	RemoteCacheSize int64 // media.remote_cache_size: bytes of cached remote media
	RemoteMaxSize   int64 // media.remote_max_size: largest remote file
}

// S3Config holds the media.s3.* keys.
type S3Config struct {
	Endpoint  string // media.s3.endpoint: host:port
	Bucket    string // media.s3.bucket
	Region    string // media.s3.region
	AccessKey string // media.s3.access_key
	SecretKey string // media.s3.secret_key
	PathStyle bool   // media.s3.path_style: bucket in the path
	Insecure  bool   // media.s3.insecure: plain HTTP to the endpoint
	PublicURL string // media.s3.public_url: base URL clients fetch files from, "" to go through Pukeko
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
