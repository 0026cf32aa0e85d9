package testkit

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"pukeko/app/database"
	"pukeko/app/database/bundled"
	"pukeko/schema"
)

// EnvDatabaseURL names an existing server to test against instead of a
// bundled one. Its role needs CREATEDB.
const EnvDatabaseURL = "PUKEKO_TEST_DATABASE_URL"

// testServer is the one PostgreSQL server of this test binary.
type testServer struct {
	adminURL string // the maintenance database, for CREATE/DROP DATABASE
	template string // a migrated database every test database is cloned from
	prefix   string // unique per test binary, for databases on a shared server
	cloneSQL string // the CREATE DATABASE suffix for cloning the template
	cluster  *bundled.Cluster
	dir      string
}

var (
	serverOnce sync.Once
	server     *testServer
	serverErr  error
	// cloneMu serialises CREATE DATABASE ... TEMPLATE: PostgreSQL refuses to
	// copy a template that another session is copying at the same moment.
	cloneMu sync.Mutex
	dbSeq   int
)

// Main runs the tests of a package, then the after functions (reports
// over the whole run), and stops its PostgreSQL.
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	for _, f := range after {
		f()
	}
	stopServer()
	removeBinary()
	os.Exit(code)
}

func getServer() (*testServer, error) {
	serverOnce.Do(func() { server, serverErr = startServer() })
	return server, serverErr
}

func startServer() (*testServer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := &testServer{prefix: fmt.Sprintf("pukeko_test_%d", os.Getpid())}
	if u := os.Getenv(EnvDatabaseURL); u != "" {
		s.adminURL = u
	} else if err := s.startCluster(ctx); err != nil {
		return nil, err
	}
	if err := s.prepareTemplate(ctx); err != nil {
		stopCluster(s)
		return nil, err
	}
	return s, nil
}

// startCluster initialises a throwaway cluster in a temporary directory. As
// root, PostgreSQL's programs run as an unprivileged user (initdb refuses
// root, and a test binary cannot drop its own privileges).
func (s *testServer) startCluster(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "pukeko-test-pg-")
	if err != nil {
		return err
	}
	s.dir = dir
	opts := bundled.Options{
		DataDir:        filepath.Join(dir, "data"),
		RuntimeDir:     filepath.Join(dir, "run"),
		PasswordFile:   filepath.Join(dir, "password"),
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		StopWithParent: true,
		Settings: map[string]string{
			// Durability is worthless for a throwaway cluster; speed is not.
			"fsync":              "off",
			"synchronous_commit": "off",
			"full_page_writes":   "off",
			"max_connections":    "400",
		},
	}
	if os.Getenv("PUKEKO_TEST_PG_LOG") != "" {
		opts.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	if os.Geteuid() == 0 {
		cred, err := unprivilegedCredential()
		if err != nil {
			return err
		}
		opts.Credential = cred
		// The unprivileged user must be able to reach its directories.
		if err := os.Chmod(dir, 0o755); err != nil {
			return err
		}
	}
	for attempt := 0; ; attempt++ {
		opts.Port, err = freePort()
		if err != nil {
			return err
		}
		s.cluster, err = bundled.Start(ctx, opts)
		if err == nil || attempt == 3 {
			break
		}
		os.RemoveAll(opts.RuntimeDir) // a port taken meanwhile: try another
	}
	if err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("testkit: unable to start PostgreSQL (install the postgresql package, or set %s): %w", EnvDatabaseURL, err)
	}
	s.adminURL = s.cluster.URL("postgres")
	return nil
}

// unprivilegedCredential picks the user PostgreSQL runs as under root:
// PUKEKO_TEST_PG_USER, else nobody.
func unprivilegedCredential() (*syscall.Credential, error) {
	name := os.Getenv("PUKEKO_TEST_PG_USER")
	if name == "" {
		name = "nobody"
	}
	u, err := user.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("testkit: running as root and no user %q to run PostgreSQL as: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (s *testServer) prepareTemplate(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.adminURL)
	if err != nil {
		return fmt.Errorf("testkit: unable to connect to %s: %w", redact(s.adminURL), err)
	}
	defer conn.Close(ctx)
	var major int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int / 10000").Scan(&major); err != nil {
		return err
	}
	if major >= 15 {
		// A file copy is much faster than WAL-logging a small template.
		s.cloneSQL = " STRATEGY FILE_COPY"
	}
	s.template = s.prefix + "_template"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+s.template); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+s.template); err != nil {
		return fmt.Errorf("testkit: unable to create the template database: %w", err)
	}
	migs, err := database.LoadMigrations(schema.Files)
	if err != nil {
		return err
	}
	pool, err := database.Connect(ctx, s.databaseURL(s.template), 2, 10*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer pool.Close()
	if _, err := database.Migrate(ctx, pool, migs, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		return fmt.Errorf("testkit: unable to migrate the template: %w", err)
	}
	return nil
}

// databaseURL returns the URL of database name on the test server.
func (s *testServer) databaseURL(name string) string {
	u, err := url.Parse(s.adminURL)
	if err != nil {
		panic(fmt.Sprintf("testkit: %s must be a URL: %v", EnvDatabaseURL, err))
	}
	u.Path = "/" + name
	return u.String()
}

func stopServer() {
	if server != nil {
		stopCluster(server)
	}
}

func stopCluster(s *testServer) {
	if s.cluster == nil {
		if s.template != "" {
			dropDatabase(s.adminURL, s.template)
		}
		return
	}
	s.cluster.Stop(context.Background())
	os.RemoveAll(s.dir)
}

func dropDatabase(adminURL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
