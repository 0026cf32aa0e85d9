package config

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// minSecretKeyLen is the shortest accepted secret key.
const minSecretKeyLen = 32

// Lower bounds of the Stator timings: a shorter poll interval would turn
// idle runners into a busy loop against the database, and a shorter lease
// would expire before a handler could renew it.
const (
	minPollInterval = 10 * time.Millisecond
	minLease        = time.Second
)

// Validate checks every value and combination of values. It returns all
// problems joined, each naming its key(s), or nil.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: "+format, args...))
	}

	for i := range optionTable {
		o := &optionTable[i]
		if o.choices == nil {
			continue
		}
		if v := o.get(c).(string); !slices.Contains(o.choices, v) {
			add("%s: must be one of %s, got %q", o.key, strings.Join(o.choices, ", "), v)
		}
	}

	if err := checkListen(c.Server.Listen); err != nil {
		add("server.listen: %v", err)
	}
	if p := c.Database.Bundled.Port; p < 1 || p > 65535 {
		add("database.bundled.port: must be between 1 and 65535, got %d", p)
	}
	if n := c.Database.MaxConnections; n < 2 || n > 1000 {
		add("database.max_connections: must be between 2 and 1000, got %d", n)
	}
	if d := c.Server.ShutdownTimeout; d <= 0 {
		add("server.shutdown_timeout: must be positive, got %s", d)
	}
	if d := c.Database.ConnectTimeout; d <= 0 {
		add("database.connect_timeout: must be positive, got %s", d)
	}
	if n := c.Server.MaxBodyBytes; n <= 0 {
		add("server.max_body_size: must be positive, got %d", n)
	}
	if err := checkListen(c.Server.TLS.HTTPListen); err != nil {
		add("server.tls.http_listen: %v", err)
	}
	if err := checkListen(c.Server.TLS.HTTPSListen); err != nil {
		add("server.tls.https_listen: %v", err)
	}
	if err := checkHTTPURL(c.Server.TLS.CA); err != nil {
		add("server.tls.ca: %v", err)
	}
	for _, d := range []struct {
		key string
		val time.Duration
	}{
		{"federation.identity_refresh", c.Federation.IdentityRefresh},
		{"federation.max_date_skew", c.Federation.MaxDateSkew},
		{"federation.request_timeout", c.Federation.RequestTimeout},
	} {
		if d.val <= 0 {
			add("%s: must be positive, got %s", d.key, d.val)
		}
	}
	if n := c.Federation.MaxResponseSize; n <= 0 {
		add("federation.max_response_size: must be positive, got %d", n)
	}
	if n := c.Federation.MaxInboxSize; n <= 0 {
		add("federation.max_inbox_size: must be positive, got %d", n)
	}
	if p := c.Email.SMTPPort; p < 1 || p > 65535 {
		add("email.smtp_port: must be between 1 and 65535, got %d", p)
	}
	if f := c.Email.From; f != "" {
		if _, err := mail.ParseAddress(f); err != nil {
			add("email.from: not an email address (%q): %v", f, err)
		}
	}
	if n := c.Users.MaxIdentities; n < 1 || n > 1000 {
		add("users.max_identities: must be between 1 and 1000, got %d", n)
	}
	for _, n := range []struct {
		key      string
		val, min int
	}{
		{"posts.max_characters", c.Posts.MaxCharacters, 1},
		{"posts.max_attachments", c.Posts.MaxAttachments, 1},
		{"posts.max_pins", c.Posts.MaxPins, 1},
		{"posts.max_poll_options", c.Posts.MaxPollOptions, 2},
		{"posts.max_poll_option_characters", c.Posts.MaxPollOptionCharacters, 1},
		{"media.max_image_pixels", c.Media.MaxImagePixels, 1},
		{"media.max_decode_pixels", c.Media.MaxDecodePixels, 1},
		{"media.sync_pixels", c.Media.SyncPixels, 0},
		{"api.rate_limit", c.API.RateLimit, 0},
	} {
		if n.val < n.min {
			add("%s: must be at least %d, got %d", n.key, n.min, n.val)
		}
	}
	for _, n := range []struct {
		key string
		val int64
	}{
		{"media.max_image_size", c.Media.MaxImageSize},
		{"media.max_video_size", c.Media.MaxVideoSize},
		{"media.max_audio_size", c.Media.MaxAudioSize},
		{"media.max_emoji_size", c.Media.MaxEmojiSize},
		{"media.remote_cache_size", c.Media.RemoteCacheSize},
		{"media.remote_max_size", c.Media.RemoteMaxSize},
	} {
		if n.val <= 0 {
			add("%s: must be positive, got %d", n.key, n.val)
		}
	}
	if c.Media.Backend == "s3" {
		if c.Media.S3.Endpoint == "" || c.Media.S3.Bucket == "" {
			add("media.backend is \"s3\" but media.s3.endpoint or media.s3.bucket is empty")
		}
		if u := c.Media.S3.PublicURL; u != "" {
			if err := checkHTTPURL(u); err != nil {
				add("media.s3.public_url: %v", err)
			}
		}
	}
	if c.API.RateWindow <= 0 {
		add("api.rate_window: must be positive, got %s", c.API.RateWindow)
	}
	if err := checkHostname(c.MainDomain); err != nil {
		add("main_domain: %v", err)
	}
	if c.DataDir == "" {
		add("data_dir: must not be empty")
	}
	if n := len(c.SecretKey); n > 0 && n < minSecretKeyLen {
		add("secret_key: must be at least %d characters, got %d", minSecretKeyLen, n)
	}
	if e := c.Server.TLS.Email; e != "" && !strings.Contains(e, "@") {
		add("server.tls.email: %q is not an email address", e)
	}
	if n := c.Stator.Concurrency; n < 1 || n > 1000 {
		add("stator.concurrency: must be between 1 and 1000, got %d", n)
	}
	if d := c.Stator.PollInterval; d < minPollInterval {
		add("stator.poll_interval: must be at least %s, got %s", minPollInterval, d)
	}
	if d := c.Stator.Lease; d < minLease {
		add("stator.lease: must be at least %s, got %s", minLease, d)
	}
	if !validToken(c.Metrics.Token) {
		// The token is secret: describe the problem without echoing it.
		add("metrics.token: must contain only visible ASCII characters (no spaces), since it is sent in an HTTP header")
	}

	errs = append(errs, c.checkTLS()...)
	errs = append(errs, c.checkCards()...)
	errs = append(errs, c.checkTranslation()...)
	errs = append(errs, c.checkAnnualReports()...)
	errs = append(errs, checkResolve(c.Federation.Resolve)...)
	if err := c.checkBundledDataDir(); err != nil {
		errs = append(errs, err)
	}
	if err := checkDatabaseURL(c.Database.URL); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validToken reports whether a metrics token can be sent verbatim in an
// Authorization header: a token with spaces, control or non-ASCII characters
// (often a stray newline from a secrets file) could never match a request.
func validToken(tok string) bool {
	for i := 0; i < len(tok); i++ {
		if tok[i] <= ' ' || tok[i] > '~' {
			return false
		}
	}
	return true
}

// checkListen checks a host:port listen address.
func checkListen(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("expected host:port, got %q: %w", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q in %q must be a number between 0 and 65535", port, addr)
	}
	return nil
}

// checkHostname checks that h is a bare hostname: letters, digits, dots and
// hyphens, without scheme, path or port.
func checkHostname(h string) error {
	switch {
	case h == "":
		return errors.New("must not be empty")
	case strings.Contains(h, "://"):
		return fmt.Errorf("%q must be a bare hostname without scheme (e.g. example.com)", h)
	case strings.ContainsAny(h, "/?#"):
		return fmt.Errorf("%q must be a bare hostname without path", h)
	case strings.Contains(h, ":"):
		return fmt.Errorf("%q must be a bare hostname without port", h)
	case len(h) > 253:
		return fmt.Errorf("hostname is longer than 253 characters")
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q is not a valid hostname (empty, too long or hyphen-edged label)", h)
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return fmt.Errorf("%q is not a valid hostname (only letters, digits, dots and hyphens)", h)
			}
		}
	}
	return nil
}

// checkTLS checks the server.tls.* combinations and server.public_scheme
// against them. In mode auto it also checks that ca_root is a readable file.
func (c *Config) checkTLS() []error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: "+format, args...))
	}
	t := c.Server.TLS
	if t.Mode == "files" {
		switch {
		case t.CertFile != "" && t.KeyFile == "":
			add("server.tls.mode is \"files\" and server.tls.cert_file is set but server.tls.key_file is not; set both, or neither and use server.tls.certs_dir")
		case t.CertFile == "" && t.KeyFile != "":
			add("server.tls.mode is \"files\" and server.tls.key_file is set but server.tls.cert_file is not; set both, or neither and use server.tls.certs_dir")
		case t.CertFile == "" && t.CertsDir == "":
			add("server.tls.mode is \"files\" but neither server.tls.cert_file and server.tls.key_file nor server.tls.certs_dir is set")
		}
	} else {
		var set []string
		for _, f := range []struct{ key, val string }{
			{"server.tls.cert_file", t.CertFile},
			{"server.tls.key_file", t.KeyFile},
			{"server.tls.certs_dir", t.CertsDir},
		} {
			if f.val != "" {
				set = append(set, f.key)
			}
		}
		if len(set) > 0 {
			add("%s set but server.tls.mode is %q, not \"files\"", strings.Join(set, " and "), t.Mode)
		}
	}
	if t.Mode == "auto" {
		d := strings.ToLower(c.MainDomain)
		if d == "localhost" || strings.HasSuffix(d, ".localhost") || net.ParseIP(d) != nil {
			add("server.tls.mode is \"auto\" but main_domain %q is localhost or an IP address, for which ACME cannot issue certificates", c.MainDomain)
		}
		if t.CARoot != "" {
			if err := checkReadableFile(t.CARoot); err != nil {
				add("server.tls.ca_root: %v", err)
			}
		}
	}
	if c.Server.PublicScheme == "http" && (t.Mode == "auto" || t.Mode == "files") {
		add("server.public_scheme is \"http\" but server.tls.mode is %q: Pukeko would mint http URIs while serving HTTPS; use https", t.Mode)
	}
	return errs
}

// checkReadableFile checks that path names a regular file that can be read.
func checkReadableFile(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return fmt.Errorf("%q is not a regular file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return f.Close()
}

// checkHTTPURL checks that raw is an absolute http or https URL with a host.
func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return fmt.Errorf("%q must be an absolute http or https URL, e.g. https://acme-v02.api.letsencrypt.org/directory", raw)
	}
	return nil
}

// checkResolve checks the federation.resolve entries: each "host=ip:port"
// with a valid hostname, an IP address (IPv6 in brackets) and a port from 1
// to 65535, and no host twice.
func checkResolve(entries []string) []error {
	var errs []error
	seen := map[string]int{}
	for i, entry := range entries {
		if err := checkResolveEntry(entry); err != nil {
			errs = append(errs, fmt.Errorf("config: federation.resolve: item %d %q: %w", i+1, entry, err))
			continue
		}
		host, _, _ := strings.Cut(entry, "=")
		host = strings.ToLower(host)
		if first, dup := seen[host]; dup {
			errs = append(errs, fmt.Errorf("config: federation.resolve: host %q appears twice (items %d and %d)", host, first, i+1))
			continue
		}
		seen[host] = i + 1
	}
	return errs
}

// checkResolveEntry checks one "host=ip:port" entry.
func checkResolveEntry(entry string) error {
	host, target, ok := strings.Cut(entry, "=")
	if !ok {
		return errors.New(`expected "host=ip:port"`)
	}
	if err := checkHostname(host); err != nil {
		return fmt.Errorf("host: %w", err)
	}
	ip, port, err := net.SplitHostPort(target)
	if err != nil {
		return fmt.Errorf(`expected "host=ip:port" (IPv6 in brackets, e.g. [::1]:8443): %w`, err)
	}
	if net.ParseIP(ip) == nil {
		return fmt.Errorf("%q is not an IP address", ip)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != port {
		return fmt.Errorf("port %q must be a number between 1 and 65535", port)
	}
	return nil
}

// checkBundledDataDir rejects a bundled PostgreSQL data directory inside,
// equal to or containing the runtime directory <data_dir>/run.
func (c *Config) checkBundledDataDir() error {
	data := c.Database.Bundled.DataDir
	if data == "" || c.DataDir == "" {
		return nil
	}
	run := c.BundledRuntimeDir()
	if within(data, run) || within(run, data) {
		return fmt.Errorf("config: database.bundled.data_dir %q must not be inside, equal to or contain the runtime directory %q (data_dir + \"/run\"), which may be wiped", data, run)
	}
	return nil
}

// within reports whether path is dir or lies below it (lexically).
func within(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	if err != nil {
		return false
	}
	return rel == "." || rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// checkDatabaseURL checks that a non-empty database.url parses as a
// PostgreSQL URL or key=value DSN, without revealing its password.
func checkDatabaseURL(raw string) error {
	if raw == "" {
		return nil
	}
	if _, err := pgconn.ParseConfig(raw); err != nil {
		masked, secrets := maskConnString(raw)
		// pgconn's message echoes the connection string, with a best-effort
		// redaction; keep only the reason that follows it.
		detail := err.Error()
		if i := strings.LastIndex(detail, "`: "); i >= 0 {
			detail = detail[i+3:]
		}
		if mentionsAny(detail, secrets) {
			detail = "details withheld because they contain the password"
		}
		return fmt.Errorf("config: database.url: %s is not a valid PostgreSQL URL or key=value DSN: %s", masked, detail)
	}
	return nil
}

// mentionsAny reports whether s contains any of secrets or any word of three
// or more characters of them.
func mentionsAny(s string, secrets []string) bool {
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			return true
		}
		for _, word := range strings.Fields(strings.Trim(secret, "'")) {
			if len(word) >= 3 && strings.Contains(s, word) {
				return true
			}
		}
	}
	return false
}
