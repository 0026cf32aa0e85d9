package config

import (
	"fmt"
	"strings"
	"time"
)

// Option describes one configuration key, as listed by Options.
type Option struct {
	Key     string // dotted key as written in YAML, e.g. "server.tls.mode"
	Type    string // "string", "int", "bool", "duration", "size" or "list"
	Default string // default value rendered as in YAML
	Doc     string // one-line description
	Secret  bool   // masked by Dump
}

// Option types.
const (
	typeString   = "string"
	typeInt      = "int"
	typeBool     = "bool"
	typeDuration = "duration"
	typeSize     = "size"
	typeList     = "list" // list of strings: a YAML sequence, comma-separated in the environment
)

// envPrefix prefixes every environment override.
const envPrefix = "PUKEKO_"

// option is one row of the option table.
type option struct {
	key     string
	typ     string
	def     any // typed default: string, int, bool, time.Duration, int64 (size) or []string (list)
	doc     string
	secret  bool
	mask    func(string) string // how Dump masks a secret; nil masks everything
	choices []string            // allowed values, nil when free
	field   func(*Config) any   // pointer to the Config field holding the value
}

// optionTable lists every key in file order; keys of one section must be
// contiguous so that Dump can render nested YAML.
var optionTable = []option{
	{key: "main_domain", typ: typeString, def: "localhost",
		doc:   "Public hostname of the instance (no scheme, path or port); part of every ID, do not change later.",
		field: func(c *Config) any { return &c.MainDomain }},
	{key: "data_dir", typ: typeString, def: "./data",
		doc:   "Directory for all server state; relative paths are resolved against the working directory.",
		field: func(c *Config) any { return &c.DataDir }},
	{key: "secret_key", typ: typeString, def: "", secret: true,
		doc:   "Signing secret (at least 32 characters); empty means generated once into <data_dir>/secret_key.",
		field: func(c *Config) any { return &c.SecretKey }},

	{key: "server.listen", typ: typeString, def: "127.0.0.1:8080",
		doc:   "Address (host:port) of the plain HTTP server in TLS mode off; modes auto and files use server.tls.http_listen and https_listen.",
		field: func(c *Config) any { return &c.Server.Listen }},
	{key: "server.user", typ: typeString, def: "pukeko",
		doc:   "Unprivileged system user the server runs as when started as root.",
		field: func(c *Config) any { return &c.Server.User }},
	{key: "server.max_body_size", typ: typeSize, def: int64(16 << 20),
		doc:   "Largest accepted request body: a number of bytes or a size such as 512KiB, 16MiB, 10MB.",
		field: func(c *Config) any { return &c.Server.MaxBodyBytes }},
	{key: "server.shutdown_timeout", typ: typeDuration, def: 10 * time.Second,
		doc:   "How long a graceful shutdown waits for running requests.",
		field: func(c *Config) any { return &c.Server.ShutdownTimeout }},
	{key: "server.public_scheme", typ: typeString, def: "https", choices: []string{"https", "http"},
		doc:   "Scheme of every URI Pukeko mints: https, or http for local testing only (not with TLS modes auto or files).",
		field: func(c *Config) any { return &c.Server.PublicScheme }},
	{key: "server.tls.mode", typ: typeString, def: "off", choices: []string{"off", "auto", "files"},
		doc:   "off: plain HTTP on server.listen (behind a TLS-terminating proxy); auto: ACME certificates for every configured domain; files: PEM files from cert_file/key_file or certs_dir.",
		field: func(c *Config) any { return &c.Server.TLS.Mode }},
	{key: "server.tls.cert_file", typ: typeString, def: "",
		doc:   "PEM certificate chain (mode files only); set together with key_file, or use certs_dir.",
		field: func(c *Config) any { return &c.Server.TLS.CertFile }},
	{key: "server.tls.key_file", typ: typeString, def: "",
		doc:   "PEM private key (mode files only); set together with cert_file, or use certs_dir.",
		field: func(c *Config) any { return &c.Server.TLS.KeyFile }},
	{key: "server.tls.email", typ: typeString, def: "",
		doc:   "Contact email of the ACME account (mode auto); optional.",
		field: func(c *Config) any { return &c.Server.TLS.Email }},
	{key: "server.tls.ca", typ: typeString, def: "https://acme-v02.api.letsencrypt.org/directory",
		doc:   "ACME directory URL (mode auto).",
		field: func(c *Config) any { return &c.Server.TLS.CA }},
	{key: "server.tls.ca_root", typ: typeString, def: "",
		doc:   "PEM file of extra root certificates trusted for the ACME server (mode auto; private CAs, tests); empty means none.",
		field: func(c *Config) any { return &c.Server.TLS.CARoot }},
	{key: "server.tls.http_listen", typ: typeString, def: ":80",
		doc:   "Address (host:port) where mode auto answers HTTP-01 challenges and redirects to HTTPS.",
		field: func(c *Config) any { return &c.Server.TLS.HTTPListen }},
	{key: "server.tls.https_listen", typ: typeString, def: ":443",
		doc:   "Address (host:port) where modes auto and files serve HTTPS.",
		field: func(c *Config) any { return &c.Server.TLS.HTTPSListen }},
	{key: "server.tls.storage", typ: typeString, def: "file", choices: []string{"file", "postgres"},
		doc:   "Where mode auto keeps certificates and ACME account keys: file (<data_dir>/certmagic) or postgres (shared by several nodes, with locks).",
		field: func(c *Config) any { return &c.Server.TLS.Storage }},
	{key: "server.tls.certs_dir", typ: typeString, def: "",
		doc:   "Mode files: directory of <domain>.crt and <domain>.key pairs, reloaded when they change.",
		field: func(c *Config) any { return &c.Server.TLS.CertsDir }},

	{key: "database.url", typ: typeString, def: "", secret: true, mask: maskDatabaseURL,
		doc:   "PostgreSQL URL or key=value DSN; empty means the bundled PostgreSQL.",
		field: func(c *Config) any { return &c.Database.URL }},
	{key: "database.max_connections", typ: typeInt, def: 20,
		doc:   "Size of the connection pool (2 to 1000).",
		field: func(c *Config) any { return &c.Database.MaxConnections }},
	{key: "database.connect_timeout", typ: typeDuration, def: 60 * time.Second,
		doc:   "How long start-up keeps retrying an unreachable database.",
		field: func(c *Config) any { return &c.Database.ConnectTimeout }},
	{key: "database.bundled.port", typ: typeInt, def: 15432,
		doc:   "TCP port of the bundled PostgreSQL.",
		field: func(c *Config) any { return &c.Database.Bundled.Port }},
	{key: "database.bundled.binaries", typ: typeString, def: "",
		doc:   "Directory of the PostgreSQL binaries for the bundled database; empty means search for them.",
		field: func(c *Config) any { return &c.Database.Bundled.Binaries }},
	{key: "database.bundled.data_dir", typ: typeString, def: "",
		doc:   "Data directory of the bundled PostgreSQL; empty means <data_dir>/postgres.",
		field: func(c *Config) any { return &c.Database.Bundled.DataDir }},

	{key: "log.level", typ: typeString, def: "info", choices: []string{"debug", "info", "warn", "error"},
		doc:   "Minimum level logged: debug, info, warn or error.",
		field: func(c *Config) any { return &c.Log.Level }},
	{key: "log.format", typ: typeString, def: "text", choices: []string{"text", "json"},
		doc:   "Log line format: text or json.",
		field: func(c *Config) any { return &c.Log.Format }},

	{key: "stator.enabled", typ: typeBool, def: true,
		doc:   "Run the Stator background task runner inside pukeko serve.",
		field: func(c *Config) any { return &c.Stator.Enabled }},
	{key: "stator.concurrency", typ: typeInt, def: 16,
		doc:   "Stator handlers running at once in one process (1 to 1000).",
		field: func(c *Config) any { return &c.Stator.Concurrency }},
	{key: "stator.poll_interval", typ: typeDuration, def: 5 * time.Second,
		doc:   "How often an idle Stator runner checks for due rows when no wake-up notification arrives (at least 10ms).",
		field: func(c *Config) any { return &c.Stator.PollInterval }},
	{key: "stator.lease", typ: typeDuration, def: 2 * time.Minute,
		doc:   "How long a claimed row stays reserved for the process working on it; running handlers renew it, and after a crash rows return to other processes after this (at least 1s).",
		field: func(c *Config) any { return &c.Stator.Lease }},

	{key: "metrics.token", typ: typeString, def: "", secret: true,
		doc:   "Bearer token required by GET /metrics; empty means /metrics answers only direct loopback requests without proxy headers.",
		field: func(c *Config) any { return &c.Metrics.Token }},

	{key: "federation.allow_private_addresses", typ: typeBool, def: false,
		doc:   "Allow fetches and deliveries to loopback, private and link-local addresses (tests, private networks).",
		field: func(c *Config) any { return &c.Federation.AllowPrivateAddresses }},
	{key: "federation.resolve", typ: typeList, def: []string{},
		doc:   "DNS overrides for outgoing requests, each \"host=ip:port\" (IPv6 in brackets), e.g. to point test names at loopback.",
		field: func(c *Config) any { return &c.Federation.Resolve }},
	{key: "federation.identity_refresh", typ: typeDuration, def: 24 * time.Hour,
		doc:   "How old a remote profile may get before Stator refetches it.",
		field: func(c *Config) any { return &c.Federation.IdentityRefresh }},
	{key: "federation.max_date_skew", typ: typeDuration, def: 12 * time.Hour,
		doc:   "Allowed clock difference in signed requests.",
		field: func(c *Config) any { return &c.Federation.MaxDateSkew }},
	{key: "federation.request_timeout", typ: typeDuration, def: 10 * time.Second,
		doc:   "Timeout of one outgoing request.",
		field: func(c *Config) any { return &c.Federation.RequestTimeout }},
	{key: "federation.max_response_size", typ: typeSize, def: int64(4 << 20),
		doc:   "Largest response body read from a remote server.",
		field: func(c *Config) any { return &c.Federation.MaxResponseSize }},
	{key: "federation.max_inbox_size", typ: typeSize, def: int64(1 << 20),
		doc:   "Largest accepted inbox POST body.",
		field: func(c *Config) any { return &c.Federation.MaxInboxSize }},

	{key: "users.max_identities", typ: typeInt, def: 5,
		doc:   "Identities one user may own (1 to 1000).",
		field: func(c *Config) any { return &c.Users.MaxIdentities }},

	{key: "api.rate_limit", typ: typeInt, def: 300,
		doc:   "Client API requests one token (or one address, logged out) may make per api.rate_window; 0 turns the limit off.",
		field: func(c *Config) any { return &c.API.RateLimit }},
	{key: "api.rate_window", typ: typeDuration, def: 5 * time.Minute,
		doc:   "The window of api.rate_limit.",
		field: func(c *Config) any { return &c.API.RateWindow }},

	{key: "oauth.password_grant", typ: typeBool, def: true,
		doc:   "Let command-line clients log in with email and password at /oauth/token (grant_type=password).",
		field: func(c *Config) any { return &c.OAuth.PasswordGrant }},

	{key: "email.smtp_host", typ: typeString, def: "",
		doc:   "SMTP server that sends Pukeko's email (confirmations); empty sends no email.",
		field: func(c *Config) any { return &c.Email.SMTPHost }},
	{key: "email.smtp_port", typ: typeInt, def: 587,
		doc:   "Port of the SMTP server (587 for STARTTLS, 465 for TLS).",
		field: func(c *Config) any { return &c.Email.SMTPPort }},
	{key: "email.smtp_username", typ: typeString, def: "",
		doc:   "User name at the SMTP server; empty for no login.",
		field: func(c *Config) any { return &c.Email.SMTPUsername }},
	{key: "email.smtp_password", typ: typeString, def: "", secret: true,
		doc:   "Password at the SMTP server.",
		field: func(c *Config) any { return &c.Email.SMTPPassword }},
	{key: "email.from", typ: typeString, def: "",
		doc:   "Sender of Pukeko's email, an address with an optional name; empty means notifications@<main_domain>.",
		field: func(c *Config) any { return &c.Email.From }},
	{key: "email.tls", typ: typeString, def: "starttls", choices: []string{"starttls", "tls", "none"},
		doc:   "Encryption to the SMTP server: starttls (required of it), tls (from the first byte) or none (a local relay).",
		field: func(c *Config) any { return &c.Email.TLS }},

	{key: "signup.confirm_email", typ: typeBool, def: true,
		doc:   "Users who sign up confirm their email address before using their account (when email.smtp_host is set).",
		field: func(c *Config) any { return &c.Signup.ConfirmEmail }},

	{key: "posts.max_characters", typ: typeInt, def: 500,
		doc:   "Characters of a post's text and content warning together.",
		field: func(c *Config) any { return &c.Posts.MaxCharacters }},
	{key: "posts.max_attachments", typ: typeInt, def: 4,
		doc:   "Media attachments of one post.",
		field: func(c *Config) any { return &c.Posts.MaxAttachments }},
	{key: "posts.max_pins", typ: typeInt, def: 5,
		doc:   "Posts one identity may pin to its profile.",
		field: func(c *Config) any { return &c.Posts.MaxPins }},
	{key: "posts.max_poll_options", typ: typeInt, def: 4,
		doc:   "Options of one poll.",
		field: func(c *Config) any { return &c.Posts.MaxPollOptions }},
	{key: "posts.max_poll_option_characters", typ: typeInt, def: 50,
		doc:   "Characters of one poll option.",
		field: func(c *Config) any { return &c.Posts.MaxPollOptionCharacters }},

	{key: "media.backend", typ: typeString, def: "local", choices: []string{"local", "s3"},
		doc:   "Where media files are stored: local (under media.path) or s3 (media.s3.*).",
		field: func(c *Config) any { return &c.Media.Backend }},
	{key: "media.path", typ: typeString, def: "",
		doc:   "Directory of the local backend; empty means <data_dir>/media.",
		field: func(c *Config) any { return &c.Media.Path }},
	{key: "media.s3.endpoint", typ: typeString, def: "",
		doc:   "S3 endpoint, host:port (e.g. s3.eu-central-1.amazonaws.com or minio.internal:9000).",
		field: func(c *Config) any { return &c.Media.S3.Endpoint }},
	{key: "media.s3.bucket", typ: typeString, def: "",
		doc:   "S3 bucket; created at start when missing.",
		field: func(c *Config) any { return &c.Media.S3.Bucket }},
	{key: "media.s3.region", typ: typeString, def: "",
		doc:   "S3 region; empty lets the client discover it.",
		field: func(c *Config) any { return &c.Media.S3.Region }},
	{key: "media.s3.access_key", typ: typeString, def: "",
		doc:   "S3 access key id.",
		field: func(c *Config) any { return &c.Media.S3.AccessKey }},
	{key: "media.s3.secret_key", typ: typeString, def: "", secret: true,
		doc:   "S3 secret access key.",
		field: func(c *Config) any { return &c.Media.S3.SecretKey }},
	{key: "media.s3.path_style", typ: typeBool, def: false,
		doc:   "Address the bucket in the path (MinIO, Garage, Ceph) instead of the host name.",
		field: func(c *Config) any { return &c.Media.S3.PathStyle }},
	{key: "media.s3.insecure", typ: typeBool, def: false,
		doc:   "Speak plain HTTP to the endpoint (a storage server on a private network).",
		field: func(c *Config) any { return &c.Media.S3.Insecure }},
	{key: "media.s3.public_url", typ: typeString, def: "",
		doc:   "Base URL where clients fetch the bucket's files directly (a CDN); empty means Pukeko serves them at /media/.",
		field: func(c *Config) any { return &c.Media.S3.PublicURL }},
	{key: "media.max_image_size", typ: typeSize, def: int64(16 << 20),
		doc:   "Largest image upload.",
		field: func(c *Config) any { return &c.Media.MaxImageSize }},
	{key: "media.max_video_size", typ: typeSize, def: int64(100 << 20),
		doc:   "Largest video upload.",
		field: func(c *Config) any { return &c.Media.MaxVideoSize }},
	{key: "media.max_audio_size", typ: typeSize, def: int64(40 << 20),
		doc:   "Largest audio upload.",
		field: func(c *Config) any { return &c.Media.MaxAudioSize }},
	{key: "media.max_emoji_size", typ: typeSize, def: int64(256 << 10),
		doc:   "Largest custom emoji image.",
		field: func(c *Config) any { return &c.Media.MaxEmojiSize }},
	{key: "media.max_image_pixels", typ: typeInt, def: 16777216,
		doc:   "Images with more pixels are scaled down to this many (Mastodon's 4096 x 4096).",
		field: func(c *Config) any { return &c.Media.MaxImagePixels }},
	{key: "media.max_decode_pixels", typ: typeInt, def: 50000000,
		doc:   "Images whose header claims more pixels are refused before decoding (decompression bombs).",
		field: func(c *Config) any { return &c.Media.MaxDecodePixels }},
	{key: "media.sync_pixels", typ: typeInt, def: 4000000,
		doc:   "Uploads of images up to this many pixels are processed within the request; larger ones in the background (the API answers 202).",
		field: func(c *Config) any { return &c.Media.SyncPixels }},
	{key: "media.remote_cache_size", typ: typeSize, def: int64(1 << 30),
		doc:   "Total size of cached remote media; the least recently used files are evicted beyond it.",
		field: func(c *Config) any { return &c.Media.RemoteCacheSize }},
	{key: "media.remote_max_size", typ: typeSize, def: int64(40 << 20),
		doc:   "Largest remote media file cached or proxied.",
		field: func(c *Config) any { return &c.Media.RemoteMaxSize }},

	{key: "cards.enabled", typ: typeBool, def: true,
		doc:   "Fetch link preview cards for the first link of new and edited posts.",
		field: func(c *Config) any { return &c.Cards.Enabled }},
	{key: "cards.fetch_timeout", typ: typeDuration, def: 10 * time.Second,
		doc:   "How long fetching one card (its page and oEmbed description) may take.",
		field: func(c *Config) any { return &c.Cards.FetchTimeout }},
	{key: "cards.max_page_size", typ: typeSize, def: int64(1 << 20),
		doc:   "Largest page read for a card; larger pages get no card.",
		field: func(c *Config) any { return &c.Cards.MaxPageSize }},
	{key: "cards.refresh_after", typ: typeDuration, def: 14 * 24 * time.Hour,
		doc:   "How old a card may get before a new post linking it has it fetched again.",
		field: func(c *Config) any { return &c.Cards.RefreshAfter }},
	{key: "cards.trends_window", typ: typeDuration, def: 24 * time.Hour,
		doc:   "How far back shares of a link count for trending links.",
		field: func(c *Config) any { return &c.Cards.TrendsWindow }},
	{key: "cards.trends_min_accounts", typ: typeInt, def: 2,
		doc:   "Distinct accounts that must share a link within cards.trends_window for it to trend.",
		field: func(c *Config) any { return &c.Cards.TrendsMinAccounts }},
	{key: "translation.url", typ: typeString, def: "",
		doc:   "Base URL of a LibreTranslate-compatible server (e.g. http://127.0.0.1:5000); empty turns translation off.",
		field: func(c *Config) any { return &c.Translation.URL }},
	{key: "translation.api_key", typ: typeString, def: "", secret: true,
		doc:   "API key sent to the translation server, empty when it needs none.",
		field: func(c *Config) any { return &c.Translation.APIKey }},
	{key: "translation.timeout", typ: typeDuration, def: 10 * time.Second,
		doc:   "How long one request to the translation server may take.",
		field: func(c *Config) any { return &c.Translation.Timeout }},

	{key: "annual_reports.enabled", typ: typeBool, def: true,
		doc:   "Offer annual reports (Wrapstodon): users may have their year summed up when the year is open for it.",
		field: func(c *Config) any { return &c.AnnualReports.Enabled }},
	{key: "annual_reports.opens", typ: typeString, def: "12-10",
		doc:   "Month and day (MM-DD, UTC) from which the current year's report may be generated, until the year ends.",
		field: func(c *Config) any { return &c.AnnualReports.Opens }},
	{key: "annual_reports.years", typ: typeList, def: []string{},
		doc:   "Further years whose reports may be generated at any time (e.g. a campaign that runs late).",
		field: func(c *Config) any { return &c.AnnualReports.Years }},
}

// tableIndex holds lookup tables derived from an option table.
type tableIndex struct {
	byKey    map[string]*option // option by dotted key
	byEnv    map[string]*option // option by environment variable
	sections map[string]bool    // dotted section names, e.g. "server.tls"
}

// Lookup tables derived from optionTable by init.
var (
	optionsByKey map[string]*option
	optionsByEnv map[string]*option
	sectionKeys  map[string]bool
)

func init() {
	idx, err := indexTable(optionTable)
	if err != nil {
		panic(err)
	}
	optionsByKey, optionsByEnv, sectionKeys = idx.byKey, idx.byEnv, idx.sections
}

// indexTable builds the lookup tables of table and reports programming
// errors in it.
func indexTable(table []option) (*tableIndex, error) {
	idx := &tableIndex{byKey: map[string]*option{}, byEnv: map[string]*option{}, sections: map[string]bool{}}
	var probe Config
	closed := map[string]bool{}
	var current []string
	for i := range table {
		o := &table[i]
		if o.key == "" || o.doc == "" || o.field == nil {
			return nil, fmt.Errorf("config: option %d: key, doc and field are required", i)
		}
		if _, dup := idx.byKey[o.key]; dup {
			return nil, fmt.Errorf("config: option %q defined twice", o.key)
		}
		if !fieldMatches(o.typ, o.field(&probe)) || !fieldMatches(o.typ, pointerTo(o.def)) {
			return nil, fmt.Errorf("config: option %q: field or default does not match type %q", o.key, o.typ)
		}
		idx.byKey[o.key] = o
		idx.byEnv[envName(o.key)] = o

		parts := strings.Split(o.key, ".")
		section := parts[:len(parts)-1]
		for j := range section {
			idx.sections[strings.Join(section[:j+1], ".")] = true
		}
		// Sections must be contiguous so Dump can render them nested.
		for j := len(current); j > 0; j-- {
			name := strings.Join(current[:j], ".")
			if !strings.HasPrefix(o.key, name+".") {
				closed[name] = true
			}
		}
		for j := range section {
			if name := strings.Join(section[:j+1], "."); closed[name] {
				return nil, fmt.Errorf("config: option %q: section %q is not contiguous", o.key, name)
			}
		}
		current = section
	}
	for _, o := range table {
		if idx.sections[o.key] {
			return nil, fmt.Errorf("config: %q is both a key and a section", o.key)
		}
	}
	return idx, nil
}

// fieldMatches reports whether ptr points to the Go type used for typ.
func fieldMatches(typ string, ptr any) bool {
	switch ptr.(type) {
	case *string:
		return typ == typeString
	case *int:
		return typ == typeInt
	case *bool:
		return typ == typeBool
	case *time.Duration:
		return typ == typeDuration
	case *int64:
		return typ == typeSize
	case *[]string:
		return typ == typeList
	}
	return false
}

// pointerTo returns a pointer to a copy of a typed value.
func pointerTo(v any) any {
	switch v := v.(type) {
	case string:
		return &v
	case int:
		return &v
	case bool:
		return &v
	case time.Duration:
		return &v
	case int64:
		return &v
	case []string:
		return &v
	}
	return nil
}

// envName returns the environment variable overriding key.
func envName(key string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

// get returns the typed value of o in c.
func (o *option) get(c *Config) any {
	switch p := o.field(c).(type) {
	case *string:
		return *p
	case *int:
		return *p
	case *bool:
		return *p
	case *time.Duration:
		return *p
	case *int64:
		return *p
	case *[]string:
		return *p
	}
	panic("config: unsupported field type for " + o.key)
}

// set stores a typed value (as produced by parseFileValue or parseEnvValue)
// into c.
func (o *option) set(c *Config, v any) {
	switch p := o.field(c).(type) {
	case *string:
		*p = v.(string)
	case *int:
		*p = v.(int)
	case *bool:
		*p = v.(bool)
	case *time.Duration:
		*p = v.(time.Duration)
	case *int64:
		*p = v.(int64)
	case *[]string:
		// Copy, so that a Config never shares the table default or a
		// caller's slice; the result is never nil.
		*p = append([]string{}, v.([]string)...)
	default:
		panic("config: unsupported field type for " + o.key)
	}
}

// defaultConfig returns a Config holding every default, before path
// resolution.
func defaultConfig() *Config {
	c := &Config{}
	for i := range optionTable {
		optionTable[i].set(c, optionTable[i].def)
	}
	return c
}

// Options returns a description of every configuration key, in file order.
func Options() []Option {
	out := make([]Option, 0, len(optionTable))
	for _, o := range optionTable {
		out = append(out, Option{
			Key:     o.key,
			Type:    o.typ,
			Default: renderValue(o.typ, o.def),
			Doc:     o.doc,
			Secret:  o.secret,
		})
	}
	return out
}
