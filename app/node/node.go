// Package node assembles one running Pukeko from its configuration and an
// open database: the behaviours (app/social), the web routes, the Stator
// runner and TLS. `pukeko serve` runs a node; federation tests run several
// in one process.
package node

import (
	"context"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"pukeko/app/activitypub"
	"pukeko/app/buildinfo"
	"pukeko/app/cards"
	"pukeko/app/config"
	"pukeko/app/database"
	"pukeko/app/federation"
	"pukeko/app/hosts"
	"pukeko/app/mastodon"
	"pukeko/app/metrics"
	"pukeko/app/oauth"
	"pukeko/app/probe"
	"pukeko/app/server"
	"pukeko/app/social"
	"pukeko/app/stator"
	"pukeko/assets"
	"pukeko/schema"
)

// Options adjusts a node beyond its configuration.
type Options struct {
	// Stator runs the task runner in this node (serve without --no-stator).
	Stator bool
	// Graphs, when not nil, replaces the set of graphs the runner runs.
	Graphs func(all []*stator.Graph) ([]*stator.Graph, error)
	// RootCAs, when not nil, are the roots the federation client trusts
	// instead of the system's (tests with their own ACME CA).
	RootCAs *x509.CertPool
}

// Node is one assembled server.
type Node struct {
	Config   *config.Config
	DB       *pgxpool.Pool
	Logger   *slog.Logger
	Instance *social.Instance
	Server   *server.Server
	OAuth    *oauth.Server
	API      *mastodon.API
	Runner   *stator.Runner
	Registry *prometheus.Registry
	Cards    *cards.Service
}

// New assembles a node; nothing runs until Run.
func New(cfg *config.Config, db *pgxpool.Pool, logger *slog.Logger, opts Options) (*Node, error) {
	in, err := NewInstance(cfg, db, logger, opts.RootCAs)
	if err != nil {
		return nil, err
	}
	n := &Node{Config: cfg, DB: db, Logger: logger, Registry: metrics.New(), Instance: in}
	n.Cards = newCards(cfg, in, logger)
	migs, err := database.LoadMigrations(schema.Files)
	if err != nil {
		return nil, err
	}
	resolver := hosts.NewResolver(db, cfg.MainDomain)
	n.Server = server.New(server.Options{
		Logger:          logger,
		MaxBodyBytes:    cfg.Server.MaxBodyBytes,
		ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Metrics:         n.Registry,
		MetricsToken:    cfg.Metrics.Token,
		Ready: func(ctx context.Context) error {
			return database.CheckSchema(ctx, db, migs)
		},
		Gate: func(h http.Handler) http.Handler {
			return resolver.Gate(h, "/healthz", "/readyz", "/metrics", "/robots.txt")
		},
	})
	n.Server.Handle("GET /robots.txt", http.FileServerFS(assets.Static))
	handlers := &activitypub.Handlers{
		In:    n.Instance,
		Inbox: &activitypub.Inbox{In: n.Instance, MaxSize: cfg.Federation.MaxInboxSize, Logger: logger},
	}
	handlers.Register(n.Server)
	n.Instance.Media.Register(n.Server)
	n.OAuth = oauth.New(oauth.Options{
		DB:            db,
		Logger:        logger.With("component", "oauth"),
		PasswordGrant: cfg.OAuth.PasswordGrant,
		PublicScheme:  cfg.Server.PublicScheme,
	})
	n.OAuth.Register(n.Server)
	n.API = &mastodon.API{In: n.Instance, OAuth: n.OAuth, Logger: logger.With("component", "api"),
		Options: mastodon.Options{Version: buildinfo.Version, RateLimit: cfg.API.RateLimit, RateWindow: cfg.API.RateWindow}}
	n.API.Options.Links = linkTrends(cfg)
	n.API.Register(n.Server)

	if opts.Stator {
		graphs := n.AllGraphs()
		if opts.Graphs != nil {
			if graphs, err = opts.Graphs(graphs); err != nil {
				return nil, err
			}
		}
		n.Runner, err = NewRunner(cfg, db, graphs, n.Registry, logger)
		if err != nil {
			return nil, err
		}
	}
	return n, nil
}

// AllGraphs lists every Stator graph of this binary.
func (n *Node) AllGraphs() []*stator.Graph {
	all := append(n.Instance.Graphs(), probe.Graph(n.DB), housekeepingGraph(n.OAuth), n.Instance.ScheduledStatusGraph())
	all = append(all, n.Cards.Graphs()...)
	all = append(all, n.Instance.RefreshGraphs()...)
	return append(all, n.Instance.Mail.Graph())
}

// NewRunner builds a Stator runner from the stator.* keys.
func NewRunner(cfg *config.Config, db *pgxpool.Pool, graphs []*stator.Graph, reg prometheus.Registerer, logger *slog.Logger) (*stator.Runner, error) {
	return stator.New(stator.Options{
		Pool:            db,
		Graphs:          graphs,
		Concurrency:     cfg.Stator.Concurrency,
		PollInterval:    cfg.Stator.PollInterval,
		Lease:           cfg.Stator.Lease,
		ShutdownTimeout: cfg.Server.ShutdownTimeout,
		Logger:          logger.With("component", "stator"),
		Metrics:         reg,
	})
}

// Prepare does what must happen before serving: the server's own actor.
func (n *Node) Prepare(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := n.Instance.EnsureSystemIdentity(ctx); err != nil {
		return err
	}
	return prepareMedia(ctx, n.Instance.Media)
}

// NewInstance describes this server to the behaviours in app/social, with
// the federation client its configuration asks for. Administrative
// commands use it too, so every part of Pukeko sees the same server.
// rootCAs, when not nil, replaces the system's roots (tests).
func NewInstance(cfg *config.Config, db *pgxpool.Pool, logger *slog.Logger, rootCAs *x509.CertPool) (*social.Instance, error) {
	resolve, err := federation.ParseResolve(cfg.Federation.Resolve)
	if err != nil {
		return nil, fmt.Errorf("federation.resolve: %w", err)
	}
	client := federation.NewClient(federation.ClientOptions{
		AllowPrivate:    cfg.Federation.AllowPrivateAddresses,
		Resolve:         resolve,
		Timeout:         cfg.Federation.RequestTimeout,
		MaxResponseSize: cfg.Federation.MaxResponseSize,
		UserAgent:       fmt.Sprintf("pukeko/%s (+%s://%s/)", buildinfo.Version, cfg.Server.PublicScheme, cfg.MainDomain),
		Scheme:          cfg.Server.PublicScheme,
		RootCAs:         rootCAs,
	})
	m, err := newMedia(cfg, db, client, logger)
	if err != nil {
		return nil, err
	}
	in := &social.Instance{
		Media:          m,
		Mail:           newOutbox(cfg, db, logger),
		DB:             db,
		Logger:         logger,
		Scheme:         cfg.Server.PublicScheme,
		MainDomain:     cfg.MainDomain,
		MaxIdentities:  cfg.Users.MaxIdentities,
		MaxPostLength:  cfg.Posts.MaxCharacters,
		MaxPins:        cfg.Posts.MaxPins,
		MaxAttachments: cfg.Posts.MaxAttachments,

		MaxPollOptions:      cfg.Posts.MaxPollOptions,
		MaxPollOptionLength: cfg.Posts.MaxPollOptionCharacters,
		IdentityRefresh:     cfg.Federation.IdentityRefresh,
		Client:              client,
		MaxDateSkew:         cfg.Federation.MaxDateSkew,
		Hosts:               stator.NewKeyLimiter(4),
	}
	configureReportsAndTranslation(in, cfg)
	return in, nil
}
