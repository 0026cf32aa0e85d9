package node

import (
	"pukeko/app/config"
	"pukeko/app/social"
	"pukeko/app/translate"
)

// configureReportsAndTranslation gives the behaviours the translation.*
// settings.
func configureReportsAndTranslation(in *social.Instance, cfg *config.Config) {
	if cfg.Translation.URL != "" {
		in.Translator = translate.New(cfg.Translation.URL, cfg.Translation.APIKey, cfg.Translation.Timeout)
	}
}
