// Package nodetest boots whole Pukeko nodes for the tests of packages
// above app/node (federation tests, the client API): a test database, the
// usual test settings, the node running on a loopback listener until the
// test ends. Only tests import it.
package nodetest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"

	"pukeko/app/config"
	"pukeko/app/model"
	"pukeko/app/node"
	"pukeko/app/store"
	"pukeko/app/testkit"
)

// Env is the environment of a test node for domain on a fresh database:
// plain HTTP, private addresses allowed, resolve ("host=ip:port") for its
// peers' names, quick Stator polling and shutdown. extra comes last and
// wins.
func Env(t testing.TB, domain string, resolve []string, extra ...string) []string {
	return append([]string{
		"PUKEKO_MAIN_DOMAIN=" + domain,
		"PUKEKO_DATA_DIR=" + t.TempDir(),
		"PUKEKO_DATABASE_URL=" + testkit.DatabaseURL(t),
		"PUKEKO_SERVER_PUBLIC_SCHEME=http",
		"PUKEKO_FEDERATION_ALLOW_PRIVATE_ADDRESSES=true",
		"PUKEKO_FEDERATION_RESOLVE=" + strings.Join(resolve, ","),
		"PUKEKO_STATOR_POLL_INTERVAL=200ms",
		"PUKEKO_SERVER_SHUTDOWN_TIMEOUT=2s",
	}, extra...)
}

// Logger discards the log, unless PUKEKO_TEST_LOG is set: then it writes
// it all to stderr, each line naming the node.
func Logger(name string) *slog.Logger {
	if os.Getenv("PUKEKO_TEST_LOG") == "" {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})).With("node", name)
}

// New configures a node from env (without starting it).
func New(t testing.TB, name string, env []string, opts node.Options) *node.Node {
	t.Helper()
	cfg, err := config.Load(config.LoadOptions{Env: env, SearchPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	n, err := node.New(cfg, testkit.Pool(t, cfg.Database.URL), Logger(name), opts)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Boot configures a node for domain from env, serves the domain (open
// sign-ups, the default), prepares the node and runs it on ls until the
// test ends.
func Boot(t testing.TB, domain string, env []string, opts node.Options, ls node.Listeners) *node.Node {
	t.Helper()
	n := New(t, domain, env, opts)
	ctx := context.Background()
	if err := store.CreateLocalDomain(ctx, n.DB, &model.Domain{Domain: domain, Local: true, Public: true, Default: true,
		SiteName: "Site " + domain, SignupPolicy: model.SignupOpen}); err != nil {
		t.Fatal(err)
	}
	if err := n.Prepare(ctx); err != nil {
		t.Fatal(err)
	}
	Run(t, n, ls, "node "+domain)
	return n
}

// Run runs n on ls until the test ends, then stops it; what names the node
// in the error of a failed run.
func Run(t testing.TB, n *node.Node, ls node.Listeners, what string) {
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- n.Run(runCtx, ls) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("%s: %v", what, err)
		}
	})
}

// Listen opens a loopback listener closed when the test ends.
func Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}
