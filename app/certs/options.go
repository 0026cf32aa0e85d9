package certs

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configures a Manager. The fields mirror server.tls.* (see
// app/config) plus what only the caller knows: the database, and which
// names are ours.
type Options struct {
	Mode string // "auto" or "files" (callers do not build a Manager for "off")

	// Mode auto.
	Email   string // ACME account email, "" for none
	CA      string // ACME directory URL, "" for Let's Encrypt
	CARoot  string // PEM file of extra roots trusted for the ACME server's own HTTPS, "" for none
	Storage string // "file" (under DataDir/certmagic) or "postgres" (DB, shared by nodes)
	DataDir string
	DB      *pgxpool.Pool
	// HTTPListen and HTTPSListen are the addresses of the caller's plain-HTTP
	// and HTTPS listeners (server.tls.http_listen and https_listen). They
	// aim certmagic's challenge solvers at those sockets: a solver that
	// finds its address taken relies on the listener already there (which
	// serves HTTPHandler and TLSConfig), whereas a free address makes it
	// open a listener of its own. So bind both listeners before New when
	// Preload is set. Empty means ":80" and ":443".
	HTTPListen, HTTPSListen string

	// Mode files.
	CertFile, KeyFile string // one pair whose certificate may name every domain
	CertsDir          string // <domain>.crt/<domain>.key pairs

	// Allowed decides whether a certificate may be obtained for name (on
	// demand, at the first handshake): true only for the display and service
	// domains configured in the domains table. The Manager caches results
	// (positive 1 min, negative 10 s) so a flood of unknown SNI names does not
	// hit the database.
	Allowed func(ctx context.Context, name string) (bool, error)
	// Preload, if set, lists names to obtain certificates for at start (the
	// configured domains), in the background.
	Preload func(ctx context.Context) ([]string, error)
	Logger  *slog.Logger

	// For tests.
	disableHTTP01   bool          // leave only TLS-ALPN-01
	disableTLSALPN  bool          // leave only HTTP-01
	filesReload     time.Duration // files mode: how often to look for changed files
	allowedPositive time.Duration // how long an allowed name is remembered
	allowedNegative time.Duration // how long a refused name is remembered
}
