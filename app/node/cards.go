package node

import (
	"log/slog"

	"pukeko/app/cards"
	"pukeko/app/config"
	"pukeko/app/mastodon"
	"pukeko/app/social"
)

// newCards builds the link preview cards of the cards.* keys, fetching
// through the instance's federation client and caching images in its
// media cache.
func newCards(cfg *config.Config, in *social.Instance, logger *slog.Logger) *cards.Service {
	return &cards.Service{
		DB:     in.DB,
		Client: in.Client,
		Media:  in.Media,
		Logger: logger.With("component", "cards"),
		Options: cards.Options{
			Enabled:      cfg.Cards.Enabled,
			Timeout:      cfg.Cards.FetchTimeout,
			MaxPageSize:  cfg.Cards.MaxPageSize,
			RefreshAfter: cfg.Cards.RefreshAfter,
			MainDomain:   cfg.MainDomain,
		},
	}
}

// linkTrends are the cards.trends_* keys, as the client API takes them.
func linkTrends(cfg *config.Config) mastodon.LinkTrends {
	return mastodon.LinkTrends{Window: cfg.Cards.TrendsWindow, MinAccounts: cfg.Cards.TrendsMinAccounts}
}
