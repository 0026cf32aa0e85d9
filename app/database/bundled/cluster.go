package bundled

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Superuser is the cluster's superuser role; Database is the database
// Pukeko keeps its tables in.
const (
	Superuser = "pukeko"
	Database  = "pukeko"
)

// maxSocketPath is the longest Unix socket path Linux accepts (sun_path
// holds 108 bytes with the terminating NUL).
const maxSocketPath = 107

// Options describes one bundled cluster.
type Options struct {
	DataDir      string // the cluster (PGDATA); never inside RuntimeDir
	RuntimeDir   string // sockets and scratch files
	Binaries     string // configured installation; "" means search
	DownloadDir  string // where fetched binaries go when none are installed; "" means never fetch
	Port         int    // TCP port, bound to 127.0.0.1 only
	PasswordFile string // the superuser password, created with the cluster
	Logger       *slog.Logger
	StartTimeout time.Duration // default 60s

	// Settings are extra postgres -c settings (tests turn off fsync).
	Settings map[string]string
	// Credential runs PostgreSQL's programs as another user. A process
	// running as root that cannot drop its own privileges (a test binary)
	// uses it; Pukeko itself drops privileges before starting the cluster.
	Credential *syscall.Credential
	// StopWithParent makes the kernel stop the server when this process
	// dies, for test binaries that may be killed without cleaning up.
	StopWithParent bool
}

// Cluster is a running PostgreSQL server that this process started.
type Cluster struct {
	opts     Options
	bin      string
	major    string
	password string
	log      *logPipe
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
}

// Start makes sure a cluster exists at opts.DataDir (running initdb only on
// a missing or empty directory), stops a postmaster left over from a crash,
// starts the server and waits until it accepts connections. The caller must
// hold the cluster's Ownership.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = 60 * time.Second
	}
	if err := checkLayout(opts.DataDir, opts.RuntimeDir); err != nil {
		return nil, err
	}
	c := &Cluster{opts: opts, log: &logPipe{logger: opts.Logger.With("component", "postgres")}}

	bin, err := FindBinaries(opts.Binaries)
	if errors.Is(err, ErrNoBinaries) && opts.DownloadDir != "" {
		bin, err = downloadBinaries(opts.DownloadDir, opts.RuntimeDir, opts.Logger)
	}
	if err != nil {
		return nil, fmt.Errorf("bundled postgres: %w; install PostgreSQL (apt-get install postgresql) or set database.bundled.binaries", err)
	}
	c.bin = bin
	if c.major, err = MajorVersion(bin); err != nil {
		return nil, err
	}
	if err := checkVersion(opts.DataDir, bin, c.major); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.RuntimeDir, 0o700); err != nil {
		return nil, fmt.Errorf("bundled postgres: unable to create %s: %w", opts.RuntimeDir, err)
	}
	if opts.Credential != nil {
		os.Chown(opts.RuntimeDir, int(opts.Credential.Uid), int(opts.Credential.Gid))
	}

	fresh := false
	if v, err := DataVersion(opts.DataDir); err != nil {
		return nil, err
	} else if v == "" {
		if c.password, err = EnsurePassword(opts.PasswordFile); err != nil {
			return nil, err
		}
		if err := c.initCluster(c.password); err != nil {
			return nil, err
		}
		fresh = true
	} else {
		c.password, err = ReadPassword(opts.PasswordFile)
		if err != nil {
			return nil, fmt.Errorf("bundled postgres: the cluster in %s exists but its password file cannot be read (%v); "+
				"restore %s or reset the pukeko role's password with PostgreSQL's tools", opts.DataDir, err, opts.PasswordFile)
		}
	}

	if err := stopLeftover(opts.DataDir, opts.Logger); err != nil {
		return nil, err
	}
	if err := c.startServer(); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		c.Stop(context.Background())
		return nil, err
	}
	if err := c.ensureDatabase(ctx); err != nil {
		c.Stop(context.Background())
		return nil, err
	}
	opts.Logger.Info("bundled PostgreSQL ready", "version", c.major, "port", opts.Port, "data_dir", opts.DataDir, "fresh", fresh)
	return c, nil
}

// checkLayout refuses a data directory inside the runtime directory (or the
// reverse): runtime files are scratch, data is not.
func checkLayout(dataDir, runtimeDir string) error {
	if !filepath.IsAbs(dataDir) || !filepath.IsAbs(runtimeDir) {
		return fmt.Errorf("bundled postgres: data and runtime directories must be absolute (%q, %q)", dataDir, runtimeDir)
	}
	if within(dataDir, runtimeDir) || within(runtimeDir, dataDir) {
		return fmt.Errorf("bundled postgres: the data directory %s and the runtime directory %s must not contain each other", dataDir, runtimeDir)
	}
	return nil
}

func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && (rel == "." || (rel != ".." && !startsWithDotDot(rel)))
}

func startsWithDotDot(rel string) bool {
	return len(rel) >= 3 && rel[:3] == ".."+string(filepath.Separator)
}

func (c *Cluster) startServer() error {
	settings := map[string]string{
		"listen_addresses":  "127.0.0.1",
		"port":              strconv.Itoa(c.opts.Port),
		"logging_collector": "off",
		"log_destination":   "stderr",
		"log_line_prefix":   "",
		"cluster_name":      "pukeko",
	}
	socketDir := c.opts.RuntimeDir
	if len(filepath.Join(socketDir, ".s.PGSQL."+strconv.Itoa(c.opts.Port))) > maxSocketPath {
		c.opts.Logger.Warn("runtime directory path too long for a Unix socket; PostgreSQL listens on TCP only", "runtime_dir", socketDir)
		socketDir = ""
	}
	settings["unix_socket_directories"] = socketDir
	for k, v := range c.opts.Settings {
		settings[k] = v
	}
	args := []string{"-D", c.opts.DataDir}
	keys := make([]string, 0, len(settings))
	for k := range settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, "-c", k+"="+settings[k])
	}

	cmd := exec.Command(filepath.Join(c.bin, "postgres"), args...)
	cmd.Dir = c.opts.DataDir
	cmd.Env = c.childEnv()
	cmd.SysProcAttr = c.sysProcAttr(true)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return fmt.Errorf("bundled postgres: %w", err)
	}
	cmd.Stdout = nil
	c.exited = make(chan struct{})
	if err := c.runLocked(cmd, func() { c.log.consume(stderr) }); err != nil {
		return fmt.Errorf("bundled postgres: unable to start %s: %w", cmd.Path, err)
	}
	c.cmd = cmd
	return nil
}

// runLocked starts cmd and waits for it in a goroutine. With StopWithParent
// the goroutine keeps its OS thread for the server's whole life, because the
// kernel's parent-death signal follows the thread that forked, not the
// process: a Go thread that exits would otherwise kill the server early.
//
// readLog reads the server's stderr to its end; Wait runs only after it,
// because Wait closes the pipe and would cut off the last lines (the FATAL
// explaining a failed start).
func (c *Cluster) runLocked(cmd *exec.Cmd, readLog func()) error {
	started := make(chan error, 1)
	go func() {
		if c.opts.StopWithParent {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
		}
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		readLog()
		c.waitErr = cmd.Wait()
		close(c.exited)
	}()
	return <-started
}

func (c *Cluster) sysProcAttr(server bool) *syscall.SysProcAttr {
	// Its own process group: a Ctrl-C in the terminal reaches Pukeko only,
	// which then stops PostgreSQL last, after everything that uses it.
	attr := &syscall.SysProcAttr{Setpgid: true, Credential: c.opts.Credential}
	if server && c.opts.StopWithParent {
		attr.Pdeathsig = syscall.SIGQUIT
	}
	return attr
}

// childEnv gives PostgreSQL's programs a minimal environment with a C locale,
// so the cluster never depends on the host's locale settings.
func (c *Cluster) childEnv() []string {
	env := []string{"LC_ALL=C", "LANG=C", "TZ=UTC"}
	if p := os.Getenv("PATH"); p != "" {
		env = append(env, "PATH="+p)
	}
	return env
}

// waitReady waits until the postmaster reports "ready" in postmaster.pid,
// as pg_ctl does, then checks that a connection with the password works.
// Polling the file rather than connecting keeps "the database system is
// starting up" errors out of the log.
func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.StartTimeout)
	defer cancel()
	for !c.pidFileSaysReady() {
		select {
		case <-c.exited:
			return fmt.Errorf("bundled postgres: the server exited during start-up (%v):\n%s", c.waitErr, c.log.lastLines())
		case <-ctx.Done():
			return fmt.Errorf("bundled postgres: the server was not ready within %s:\n%s", c.opts.StartTimeout, c.log.lastLines())
		case <-time.After(10 * time.Millisecond):
		}
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("bundled postgres: the server is up but refuses our connection: %w", err)
	}
	return conn.Close(ctx)
}

// pidFileSaysReady reads the status line (the 8th) of postmaster.pid and
// checks that the file belongs to the server we started.
func (c *Cluster) pidFileSaysReady() bool {
	b, err := os.ReadFile(filepath.Join(c.opts.DataDir, "postmaster.pid"))
	if err != nil {
		return false
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 8 || strings.TrimSpace(lines[0]) != strconv.Itoa(c.cmd.Process.Pid) {
		return false
	}
	return strings.TrimSpace(lines[7]) == "ready"
}

// ensureDatabase creates Pukeko's database when it does not exist yet (a
// fresh cluster, or one whose first start was interrupted).
func (c *Cluster) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return fmt.Errorf("bundled postgres: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", Database).Scan(&exists); err != nil {
		return fmt.Errorf("bundled postgres: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+Database); err != nil {
		return fmt.Errorf("bundled postgres: unable to create database %s: %w", Database, err)
	}
	return nil
}

// URL returns a connection URL for database on this cluster.
func (c *Cluster) URL(database string) string {
	return ConnURL(c.opts.Port, c.password, database)
}

// ConnURL builds the URL of a bundled cluster listening on port.
func ConnURL(port int, password, database string) string {
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(Superuser, password),
		Host:     net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		Path:     "/" + database,
		RawQuery: "sslmode=disable",
	}
	return u.String()
}

// MajorVersion returns the major version of the running server.
func (c *Cluster) MajorVersion() string { return c.major }

// PID returns the postmaster's process id.
func (c *Cluster) PID() int { return c.cmd.Process.Pid }

// Stop asks for a fast shutdown and waits for the server to exit; after
// ctx's deadline (default 60s) it asks for an immediate shutdown.
func (c *Cluster) Stop(ctx context.Context) error {
	if c.cmd == nil {
		return nil
	}
	select {
	case <-c.exited:
		return nil
	default:
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
		c.opts.Logger.Info("bundled PostgreSQL stopped")
		return nil
	case <-ctx.Done():
	}
	c.opts.Logger.Warn("PostgreSQL did not stop in time, asking for an immediate shutdown")
	c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.exited:
		return nil
	case <-time.After(15 * time.Second):
		return fmt.Errorf("bundled postgres: the server (pid %d) did not stop", c.cmd.Process.Pid)
	}
}
