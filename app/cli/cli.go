// Package cli implements Pukeko's command line: each subcommand is a short
// function that loads the configuration and hands over to the packages that
// do the work.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// IO is what a command reads and writes; tests and main pass their own.
type IO struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

// command is one subcommand: its name (possibly two words, "user create"),
// a one-line summary and its implementation, which receives the arguments
// after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, io IO, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the server: web, Stator task runner, TLS (and the bundled PostgreSQL)", runServe},
		// "stator probe" before "stator", so the longer name matches first.
		{"stator probe", "measure the running Stator processes with probe rows", runStatorProbe},
		{"stator", "run only the Stator task runner (for dedicated worker processes)", runStator},
		{"migrate", "apply pending database migrations and exit", runMigrate},
		{"check-config", "validate the configuration and exit (non-zero on any problem)", runCheckConfig},
		{"config dump", "print the effective configuration, secrets masked", runConfigDump},
		{"user create", "create a user account", runUserCreate},
		{"identity create", "create an identity (@name@domain) for a user", runIdentityCreate},
		{"emoji add", "add or replace a custom emoji from an image file", runEmojiAdd},
		{"emoji list", "list the custom emoji", runEmojiList},
		{"emoji remove", "remove a custom emoji", runEmojiRemove},
		{"dev seed", "fill an empty database with benchmark data (identities, follows, posts)", runDevSeed},
		{"domain add", "serve a new domain", runDomainAdd},
		{"domain set", "change a domain's settings", runDomainSet},
		{"domain remove", "stop serving a domain", runDomainRemove},
		{"domain list", "list the domains this server serves", runDomainList},
		{"version", "print the version and commit", runVersion},
	}
}

// errUsage marks a mistake in the command line itself (exit status 2).
var errUsage = errors.New("usage error")

// Main runs the command line args (without the program name) and returns
// the process exit status.
func Main(args []string, stdio IO) int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, a second one ends the process at once.
		<-ctx.Done()
		stop()
	}()

	err := dispatch(ctx, args, stdio)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stdio.Stderr, "pukeko:", strings.TrimSuffix(err.Error(), ": "+errUsage.Error()))
		return 2
	default:
		fmt.Fprintln(stdio.Stderr, "pukeko:", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdio IO) error {
	// A global --config before the command is passed on to the command.
	var global []string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "-h" || a == "--help" || a == "-help":
			printHelp(stdio.Stdout)
			return nil
		case a == "--config" || a == "-config":
			if len(args) < 2 {
				return fmt.Errorf("--config needs a file: %w", errUsage)
			}
			global, args = append(global, a, args[1]), args[2:]
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			global, args = append(global, a), args[1:]
		default:
			return fmt.Errorf("unknown flag %s (see pukeko help): %w", a, errUsage)
		}
	}
	if len(args) == 0 {
		printHelp(stdio.Stdout)
		return nil
	}
	if args[0] == "help" {
		if len(args) > 1 {
			return dispatch(ctx, append(args[1:], "--help"), stdio)
		}
		printHelp(stdio.Stdout)
		return nil
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && strings.Join(args[:len(words)], " ") == c.name {
			return c.run(ctx, stdio, append(global, args[len(words):]...))
		}
	}
	// "pukeko user" or "pukeko config": list the subcommands of that group.
	var group []string
	for _, c := range commands() {
		if strings.HasPrefix(c.name, args[0]+" ") {
			group = append(group, fmt.Sprintf("  %-16s %s", c.name, c.summary))
		}
	}
	if len(group) > 0 {
		return fmt.Errorf("%s needs a subcommand:\n%s: %w", args[0], strings.Join(group, "\n"), errUsage)
	}
	return fmt.Errorf("unknown command %q (see pukeko help): %w", args[0], errUsage)
}

func printHelp(w io.Writer) {
	cmds := commands()
	sort.Slice(cmds, func(i, j int) bool { return cmds[i].name < cmds[j].name })
	fmt.Fprint(w, `Pukeko: a federated microblogging server (ActivityPub and the Mastodon client API).

Usage: pukeko [--config FILE] COMMAND [flags]

Commands:
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-16s %s\n", "help", "show this help; `pukeko help COMMAND` or `pukeko COMMAND --help` for a command")
	fmt.Fprint(w, `
Configuration comes from --config FILE, else $PUKEKO_CONFIG, else ./config.yaml,
else /etc/pukeko/config.yaml, else built-in defaults that run a local server.
Any key can be overridden in the environment: PUKEKO_<SECTION>_<KEY>, for
example PUKEKO_DATABASE_URL or PUKEKO_SERVER_LISTEN.
`)
}

// newFlags makes the flag set of a command, with the --config flag every
// command accepts. usage is the argument synopsis shown in --help.
func newFlags(name, usage, about string, stdio IO) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdio.Stderr)
	path := fs.String("config", "", "configuration `file` (default: $PUKEKO_CONFIG, ./config.yaml, /etc/pukeko/config.yaml)")
	fs.Usage = func() {
		fmt.Fprintf(stdio.Stderr, "Usage: pukeko %s %s\n\n%s\n\nFlags:\n", name, usage, about)
		fs.PrintDefaults()
	}
	return fs, path
}

// parseFlags parses args, turning flag errors into usage errors. Commands
// take no positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%s: %v: %w", fs.Name(), err, errUsage)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q: %w", fs.Name(), fs.Arg(0), errUsage)
	}
	return nil
}

// StdIO is the IO of a real process: its standard streams.
func StdIO() IO { return IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr} }
