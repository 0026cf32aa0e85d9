package node

import (
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"pukeko/app/config"
	"pukeko/app/email"
)

// newOutbox sets up outgoing email from the email.* and signup.* keys.
func newOutbox(cfg *config.Config, db *pgxpool.Pool, logger *slog.Logger) *email.Outbox {
	from := cfg.Email.From
	if from == "" {
		from = "notifications@" + cfg.MainDomain
	}
	return &email.Outbox{
		DB: db,
		Options: email.Options{
			Host:      cfg.Email.SMTPHost,
			Port:      cfg.Email.SMTPPort,
			Username:  cfg.Email.SMTPUsername,
			Password:  cfg.Email.SMTPPassword,
			From:      from,
			TLS:       cfg.Email.TLS,
			HelloName: cfg.MainDomain,
		},
		Logger:         logger.With("component", "email"),
		ConfirmSignups: cfg.Signup.ConfirmEmail,
	}
}
