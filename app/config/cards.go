package config

import (
	"fmt"
	"time"
)

// CardsConfig holds the cards.* keys: link preview cards and trending
// links.
type CardsConfig struct {
	Enabled           bool          // cards.enabled: fetch cards for posts' links
	FetchTimeout      time.Duration // cards.fetch_timeout: one card's fetch
	MaxPageSize       int64         // cards.max_page_size: bytes of a page read for a card
	RefreshAfter      time.Duration // cards.refresh_after: age after which a new link fetches a card again
	TrendsWindow      time.Duration // cards.trends_window: how far back shares count for trends
	TrendsMinAccounts int           // cards.trends_min_accounts: accounts sharing a link for it to trend
}

// checkCards checks the cards.* keys.
func (c *Config) checkCards() []error {
	var errs []error
	for _, d := range []struct {
		key string
		val time.Duration
	}{
		{"cards.fetch_timeout", c.Cards.FetchTimeout},
		{"cards.refresh_after", c.Cards.RefreshAfter},
		{"cards.trends_window", c.Cards.TrendsWindow},
	} {
		if d.val <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be positive, got %s", d.key, d.val))
		}
	}
	if n := c.Cards.MaxPageSize; n <= 0 {
		errs = append(errs, fmt.Errorf("config: cards.max_page_size: must be positive, got %d", n))
	}
	if n := c.Cards.TrendsMinAccounts; n < 1 {
		errs = append(errs, fmt.Errorf("config: cards.trends_min_accounts: must be at least 1, got %d", n))
	}
	return errs
}
