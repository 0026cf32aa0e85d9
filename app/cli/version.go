package cli

import (
	"context"
	"fmt"

	"pukeko/app/buildinfo"
)

func runVersion(_ context.Context, stdio IO, args []string) error {
	fs, _ := newFlags("version", "", "Print the version, the commit it was built from, and the Go version.", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdio.Stdout, buildinfo.String())
	return nil
}
