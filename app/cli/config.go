package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"pukeko/app/config"
)

// loadConfig loads and validates the configuration from path (the --config
// flag, possibly empty) and the process environment.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(config.LoadOptions{Path: path, Env: os.Environ()})
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// newLogger builds the process logger from log.level and log.format. Logs
// go to stderr, where systemd's journal or a container runtime collects them.
func newLogger(cfg *config.Config, stdio IO) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(strings.ToUpper(cfg.Log.Level))); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(stdio.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(stdio.Stderr, opts))
}

func runCheckConfig(_ context.Context, stdio IO, args []string) error {
	fs, path := newFlags("check-config", "[--config FILE]",
		"Load the configuration, check every key, and report each problem by its key.", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	source := cfg.Source
	if source == "" {
		source = "no file: defaults and environment"
	}
	fmt.Fprintf(stdio.Stdout, "configuration OK (%s)\n", source)
	return nil
}

func runConfigDump(_ context.Context, stdio IO, args []string) error {
	fs, path := newFlags("config dump", "[--config FILE]",
		"Print the effective configuration (file, environment and defaults merged) as YAML, secrets masked.", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	fmt.Fprint(stdio.Stdout, cfg.Dump())
	return nil
}
