package cli_test

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pukeko/app/testkit"
)

// instance is one pukeko installation in a temporary directory, driven
// through the real binary as an operator would.
type instance struct {
	t       *testing.T
	bin     string
	dir     string
	config  string
	listen  string
	pgPort  int
	env     []string
	cmd     *exec.Cmd
	logs    *syncBuffer
	exited  chan struct{}
	exitErr error
}

func newInstance(t *testing.T, extraEnv ...string) *instance {
	t.Helper()
	dir := testkit.TempDir(t)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte("# settings come from the environment in tests\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := &instance{
		t:      t,
		bin:    testkit.Binary(t),
		dir:    dir,
		config: cfg,
		listen: "127.0.0.1:" + strconv.Itoa(freePort(t)),
		pgPort: freePort(t),
	}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PUKEKO_") {
			in.env = append(in.env, kv)
		}
	}
	in.env = append(in.env,
		"PUKEKO_DATA_DIR="+filepath.Join(dir, "data"),
		"PUKEKO_SERVER_LISTEN="+in.listen,
		"PUKEKO_DATABASE_BUNDLED_PORT="+strconv.Itoa(in.pgPort),
	)
	in.env = append(in.env, extraEnv...)
	t.Cleanup(in.cleanup)
	return in
}

func (in *instance) dataDir() string { return filepath.Join(in.dir, "data") }
func (in *instance) pgData() string  { return filepath.Join(in.dir, "data", "postgres") }

// run runs a pukeko command to completion.
func (in *instance) run(stdin string, args ...string) (stdout, stderr string, code int) {
	in.t.Helper()
	cmd := exec.Command(in.bin, append([]string{"--config", in.config}, args...)...)
	cmd.Dir = in.dir
	cmd.Env = in.env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		in.t.Fatalf("running pukeko %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

// start starts a long-running command in the background: `pukeko serve`
// unless args say otherwise.
func (in *instance) start(args ...string) {
	in.t.Helper()
	if len(args) == 0 {
		args = []string{"serve"}
	}
	in.logs = &syncBuffer{}
	in.cmd = exec.Command(in.bin, append([]string{"--config", in.config}, args...)...)
	in.cmd.Dir = in.dir
	in.cmd.Env = in.env
	in.cmd.Stdout, in.cmd.Stderr = in.logs, in.logs
	if err := in.cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	in.exited = make(chan struct{})
	go func() { in.exitErr = in.cmd.Wait(); close(in.exited) }()
}

// waitReady polls /readyz until it answers 200.
func (in *instance) waitReady() {
	in.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-in.exited:
			in.t.Fatalf("pukeko serve exited before it was ready (%v):\n%s", in.exitErr, in.logs)
		default:
		}
		resp, err := http.Get("http://" + in.listen + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	in.t.Fatalf("pukeko serve not ready within 60s:\n%s", in.logs)
}

// stop sends SIGTERM and returns the exit code and how long exiting took.
func (in *instance) stop() (int, time.Duration) {
	in.t.Helper()
	begin := time.Now()
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		in.cmd.Process.Kill()
		<-in.exited
		in.t.Fatalf("pukeko serve did not exit within 30s of SIGTERM:\n%s", in.logs)
	}
	took := time.Since(begin)
	in.cmd = nil
	var exit *exec.ExitError
	if errors.As(in.exitErr, &exit) {
		return exit.ExitCode(), took
	}
	return 0, took
}

// kill9 kills pukeko serve without giving it any chance to clean up.
func (in *instance) kill9() {
	in.cmd.Process.Kill()
	<-in.exited
	in.cmd = nil
}

// postmasterPID reads the running postmaster's PID from postmaster.pid.
func (in *instance) postmasterPID() int {
	in.t.Helper()
	b, err := os.ReadFile(filepath.Join(in.pgData(), "postmaster.pid"))
	if err != nil {
		in.t.Fatalf("no postmaster.pid: %v", err)
	}
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	return pid
}

// processesUsing lists the PIDs of processes whose command line mentions
// the instance's directory: what would be left behind.
func (in *instance) processesUsing() []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, _ := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if bytes.Contains(cmdline, []byte(in.dir)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func (in *instance) cleanup() {
	if in.cmd != nil {
		in.cmd.Process.Kill()
		<-in.exited
	}
	// A test that failed half-way may leave a postmaster running.
	if b, err := os.ReadFile(filepath.Join(in.pgData(), "postmaster.pid")); err == nil {
		if pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0]); pid > 0 {
			syscall.Kill(pid, syscall.SIGQUIT)
		}
	}
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// waitDead waits a little for a process that is shutting down.
func waitDead(pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return !alive(pid)
}

// uidOf reads the real user id of a process from /proc.
func uidOf(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if errors.Is(err, os.ErrNotExist) {
		return -1 // gone meanwhile
	}
	if err != nil {
		t.Fatalf("reading process %d: %v", pid, err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Uid:" {
			uid, _ := strconv.Atoi(f[1])
			return uid
		}
	}
	t.Fatalf("no Uid line for process %d", pid)
	return -1
}

// childrenOf lists the PIDs whose parent is pid.
func childrenOf(pid int) []int {
	var kids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at ')'.
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			kid, _ := strconv.Atoi(e.Name())
			kids = append(kids, kid)
		}
	}
	return kids
}

func nobodyUID(t *testing.T) int {
	u, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	return uid
}

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects a process's output safely for concurrent reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

func readFileIfExists(path string) ([]byte, error) { return os.ReadFile(path) }
