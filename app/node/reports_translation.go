package node

import (
	"pukeko/app/config"
	"pukeko/app/social"
	"pukeko/app/translate"
)

// configureReportsAndTranslation gives the behaviours the annual_reports.*
// and translation.* settings.
func configureReportsAndTranslation(in *social.Instance, cfg *config.Config) {
	month, day := cfg.AnnualReports.OpensOn()
	in.AnnualReports = social.AnnualReportPolicy{
		Enabled:    cfg.AnnualReports.Enabled,
		OpensMonth: month,
		OpensDay:   day,
		Years:      cfg.AnnualReports.YearList(),
	}
	if cfg.Translation.URL != "" {
		in.Translator = translate.New(cfg.Translation.URL, cfg.Translation.APIKey, cfg.Translation.Timeout)
	}
}
