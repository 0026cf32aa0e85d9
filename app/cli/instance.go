package cli

import (
	"log/slog"

	"pukeko/app/config"
	"pukeko/app/social"
)

// newInstance describes this server to the behaviours in app/social.
func newInstance(cfg *config.Config, d *db, logger *slog.Logger) *social.Instance {
	return &social.Instance{
		DB:              d.Pool,
		Logger:          logger,
		Scheme:          cfg.Server.PublicScheme,
		MainDomain:      cfg.MainDomain,
		MaxIdentities:   cfg.Users.MaxIdentities,
		IdentityRefresh: cfg.Federation.IdentityRefresh,
	}
}
