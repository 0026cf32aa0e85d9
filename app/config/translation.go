package config

import (
	"fmt"
	"time"
)

// TranslationConfig holds the translation.* keys: machine translation of
// posts through a LibreTranslate-compatible server.
type TranslationConfig struct {
	URL     string        // translation.url: base URL of the server, "" when translation is off
	APIKey  string        // translation.api_key: sent with every request, "" for none
	Timeout time.Duration // translation.timeout: limit of one request
}

// checkTranslation checks the translation.* keys.
func (c *Config) checkTranslation() []error {
	var errs []error
	if u := c.Translation.URL; u != "" {
		if err := checkHTTPURL(u); err != nil {
			errs = append(errs, fmt.Errorf("config: translation.url: %w", err))
		}
	}
	if d := c.Translation.Timeout; d <= 0 {
		errs = append(errs, fmt.Errorf("config: translation.timeout: must be positive, got %s", d))
	}
	return errs
}
