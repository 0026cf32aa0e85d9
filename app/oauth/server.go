package oauth

import (
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/assets"
)

// Defaults applied by New for unset Options.
const (
	// DefaultLoginLimitPerEmail is the failed logins allowed per email and window.
	DefaultLoginLimitPerEmail = 5
	// DefaultLoginLimitPerIP is the failed logins allowed per client address
	// (IPv6: per /64) and window.
	DefaultLoginLimitPerIP = 20
	// DefaultLoginWindow is the length of the fixed rate-limit window.
	DefaultLoginWindow = 5 * time.Minute
	// DefaultSessionLifetime is how long a browser stays logged in.
	DefaultSessionLifetime = 30 * 24 * time.Hour
)

// codeLifetime bounds how long an authorization code may wait for its
// exchange (RFC 6749 recommends at most ten minutes).
const codeLifetime = 10 * time.Minute

// Options configures a Server.
type Options struct {
	// DB is the database. Required.
	DB *pgxpool.Pool
	// Logger receives unexpected errors; nil discards them.
	Logger *slog.Logger
	// PasswordGrant enables grant_type=password (username is the email).
	// Off, the token endpoint answers unsupported_grant_type.
	PasswordGrant bool
	// PublicScheme is the scheme of the URLs in the metadata document for
	// requests that arrived without TLS: "https" (the default, for servers
	// behind a TLS-terminating proxy) or "http" (plain HTTP deployments
	// and tests).
	PublicScheme string
	// Templates holds the page templates, under oauth/*.html; nil means
	// assets.Templates.
	Templates fs.FS
	// ClientIP returns the address a request came from, for login limits
	// and session records. Nil means the host of RemoteAddr; set it when
	// running behind a trusted proxy.
	ClientIP func(*http.Request) string
	// LoginLimitPerEmail and LoginLimitPerIP bound failed logins per
	// LoginWindow (defaults 5, 20 and 5 minutes); a login beyond either is
	// refused with 429, whatever its password.
	LoginLimitPerEmail int
	LoginLimitPerIP    int
	LoginWindow        time.Duration
	// SessionLifetime is how long a browser stays logged in (default 30
	// days).
	SessionLifetime time.Duration
	// VAPIDKey is the Web Push public key shown as the apps' vapid_key
	// (deprecated by Mastodon, still read by some clients); empty until
	// push exists.
	VAPIDKey string
}

// Server serves the OAuth endpoints and authenticates API requests.
type Server struct {
	db    *pgxpool.Pool
	log   *slog.Logger
	opts  Options
	pages *template.Template
	// grants caches recent token lookups (grant_cache.go).
	grants grantCache
}

// New returns a Server. It panics when opts.DB is nil or the templates do
// not parse: both are programming errors, caught by any test.
func New(opts Options) *Server {
	if opts.DB == nil {
		panic("oauth: Options.DB is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opts.PublicScheme == "" {
		opts.PublicScheme = "https"
	}
	if opts.Templates == nil {
		opts.Templates = assets.Templates
	}
	if opts.ClientIP == nil {
		opts.ClientIP = remoteIP
	}
	if opts.LoginLimitPerEmail <= 0 {
		opts.LoginLimitPerEmail = DefaultLoginLimitPerEmail
	}
	if opts.LoginLimitPerIP <= 0 {
		opts.LoginLimitPerIP = DefaultLoginLimitPerIP
	}
	if opts.LoginWindow <= 0 {
		opts.LoginWindow = DefaultLoginWindow
	}
	if opts.SessionLifetime <= 0 {
		opts.SessionLifetime = DefaultSessionLifetime
	}
	return &Server{db: opts.DB, log: opts.Logger, opts: opts, pages: parsePages(opts.Templates)}
}

// Mux is where routes are registered (http.ServeMux, server.Server).
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register adds every OAuth route. The JSON endpoints answer any origin
// (CORS), since web clients such as Elk and Phanpy call them from their
// own; the HTML pages of the authorization flow do not.
func (s *Server) Register(mux Mux) {
	preflights := map[string]bool{}
	api := func(method, path string, h http.Handler) {
		mux.Handle(method+" "+path, CORS(h))
		if !preflights[path] {
			preflights[path] = true
			mux.Handle("OPTIONS "+path, CORS(nil))
		}
	}
	api("POST", "/api/v1/apps", http.HandlerFunc(s.createApp))
	api("POST", "/api/v1/apps/{$}", http.HandlerFunc(s.createApp))
	// Since Mastodon 4.3 any valid token may ask, whatever its scopes.
	api("GET", "/api/v1/apps/verify_credentials", s.Require("", http.HandlerFunc(s.verifyApp)))
	api("POST", "/oauth/token", http.HandlerFunc(s.token))
	api("POST", "/oauth/revoke", http.HandlerFunc(s.revoke))
	api("GET", "/oauth/userinfo", s.RequireUser("profile", http.HandlerFunc(s.userinfo)))
	api("POST", "/oauth/userinfo", s.RequireUser("profile", http.HandlerFunc(s.userinfo)))
	api("GET", "/.well-known/oauth-authorization-server", http.HandlerFunc(s.metadata))

	mux.Handle("GET /oauth/authorize", http.HandlerFunc(s.authorizeGet))
	mux.Handle("POST /oauth/authorize", http.HandlerFunc(s.authorizePost))
	mux.Handle("POST /auth/logout", http.HandlerFunc(s.logout))
}
