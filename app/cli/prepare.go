package cli

import (
	"log/slog"

	"pukeko/app/config"
	"pukeko/app/privilege"
)

// prepareProcess does what every command that touches data_dir or the
// database does first: as root, drop to server.user (the caller binds any
// privileged ports before), then make sure the secret key exists.
func prepareProcess(cfg *config.Config, logger *slog.Logger) error {
	if _, err := privilege.DropIfRoot(cfg.Server.User, cfg.DataDir, logger); err != nil {
		return err
	}
	generated, err := config.EnsureSecretKey(cfg)
	if err != nil {
		return err
	}
	if generated {
		logger.Info("generated a new secret key", "file", cfg.DataDir+"/secret_key")
	}
	return nil
}
