package cli

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("migrate", "[--config FILE]",
		"Apply the pending schema migrations embedded in this binary, each in a transaction, under a lock\n"+
			"that makes concurrent runs safe. `pukeko serve` does the same at start.", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*path)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, stdio)
	if err := prepareProcess(cfg, logger); err != nil {
		return err
	}
	d, err := openDatabase(ctx, cfg, "migrate", logger)
	if err != nil {
		return err
	}
	defer d.Close()
	applied, err := d.applyMigrations(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdio.Stdout, "schema is up to date")
		return nil
	}
	fmt.Fprintf(stdio.Stdout, "applied %d migrations, now at %s\n", len(applied), applied[len(applied)-1].Name)
	return nil
}
