package bundled

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// stopLeftover stops a postmaster that still runs on dataDir although no
// Pukeko owns the cluster: what a crashed or killed Pukeko leaves behind. It
// asks for a fast shutdown (SIGINT: no new connections, running
// transactions rolled back, a clean checkpoint), and only if that does not
// finish in time an immediate one (SIGQUIT), which PostgreSQL recovers from
// by replaying its WAL. Data is never lost either way.
func stopLeftover(dataDir string, logger *slog.Logger) error {
	pid, err := postmasterPID(dataDir)
	if err != nil || pid == 0 {
		return err
	}
	if !processAlive(pid) || !isPostmasterOf(pid, dataDir) {
		// A stale postmaster.pid: PostgreSQL itself checks and replaces it.
		return nil
	}
	logger.Warn("stopping a PostgreSQL left running by an earlier pukeko", "pid", pid, "data_dir", dataDir)
	if err := syscall.Kill(pid, syscall.SIGINT); err != nil {
		return fmt.Errorf("bundled postgres: a PostgreSQL (pid %d) still runs on %s and cannot be stopped: %w", pid, dataDir, err)
	}
	if waitGone(pid, 60*time.Second) {
		return nil
	}
	logger.Warn("PostgreSQL did not stop in time, asking for an immediate shutdown", "pid", pid)
	syscall.Kill(pid, syscall.SIGQUIT)
	if waitGone(pid, 15*time.Second) {
		return nil
	}
	return fmt.Errorf("bundled postgres: the PostgreSQL left running on %s (pid %d) did not stop; stop it by hand", dataDir, pid)
}

// postmasterPID reads the first line of dataDir/postmaster.pid (0 if absent).
func postmasterPID(dataDir string) (int, error) {
	f, err := os.Open(filepath.Join(dataDir, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("bundled postgres: unable to read postmaster.pid: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return 0, nil
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
	return pid, nil
}

func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// isPostmasterOf guards against a recycled PID: the process must be a
// postgres whose working directory is the data directory (the postmaster
// chdirs there). When /proc cannot tell, the command name decides.
func isPostmasterOf(pid int, dataDir string) bool {
	proc := "/proc/" + strconv.Itoa(pid)
	if cwd, err := os.Readlink(proc + "/cwd"); err == nil {
		want, _ := filepath.EvalSymlinks(dataDir)
		return cwd == dataDir || cwd == want
	}
	comm, err := os.ReadFile(proc + "/comm")
	if err != nil {
		return true // no /proc: trust postmaster.pid, as pg_ctl does
	}
	return strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres")
}

func waitGone(pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if !processAlive(pid) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return !processAlive(pid)
}
