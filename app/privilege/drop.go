// Package privilege drops root privileges once a process has done what only
// root may do (bind ports below 1024). PostgreSQL's initdb refuses to run as
// root, and a web server has no business keeping root: so the whole process,
// every thread, becomes an unprivileged user, and the data directory is
// handed to that user first.
package privilege

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// Fallback is the user taken when the configured one does not exist.
const Fallback = "nobody"

// Target is the user a process drops to.
type Target struct {
	Name     string
	UID, GID int
}

// Resolve looks up name, falling back to nobody with a warning when it does
// not exist. Root itself is refused: dropping to root drops nothing.
func Resolve(name string, logger *slog.Logger) (Target, error) {
	u, err := user.Lookup(name)
	var unknown user.UnknownUserError
	if errors.As(err, &unknown) && name != Fallback {
		logger.Warn("server.user does not exist; running as "+Fallback+" instead (create the user to give Pukeko its own)", "server.user", name)
		u, err = user.Lookup(Fallback)
	}
	if err != nil {
		return Target{}, fmt.Errorf("server.user: unable to look up %q: %w", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if uid == 0 {
		return Target{}, fmt.Errorf("server.user: %q is root; name an unprivileged user", u.Username)
	}
	return Target{Name: u.Username, UID: uid, GID: gid}, nil
}

// DropIfRoot does nothing unless the process runs as root. As root, it
// creates dataDir, hands it to the target user, and switches the whole
// process to that user for good. It returns whether it dropped.
func DropIfRoot(userName, dataDir string, logger *slog.Logger) (bool, error) {
	if os.Geteuid() != 0 {
		return false, nil
	}
	t, err := Resolve(userName, logger)
	if err != nil {
		return false, err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return false, fmt.Errorf("data_dir: unable to create %s: %w", dataDir, err)
	}
	if err := chownTop(dataDir, t.UID, t.GID); err != nil {
		return false, err
	}
	// Order matters: groups and gid while still root, uid last. Go applies
	// each of these to every thread of the process.
	if err := syscall.Setgroups([]int{t.GID}); err != nil {
		return false, fmt.Errorf("privilege: setgroups: %w", err)
	}
	if err := syscall.Setgid(t.GID); err != nil {
		return false, fmt.Errorf("privilege: setgid %d: %w", t.GID, err)
	}
	if err := syscall.Setuid(t.UID); err != nil {
		return false, fmt.Errorf("privilege: setuid %d: %w", t.UID, err)
	}
	if os.Geteuid() != t.UID || syscall.Setuid(0) == nil {
		return false, errors.New("privilege: the process still has root privileges after dropping them")
	}
	if err := checkReachable(dataDir, t.Name); err != nil {
		return true, err
	}
	logger.Info("dropped root privileges", "user", t.Name, "uid", t.UID, "gid", t.GID)
	return true, nil
}

// chownTop hands data_dir itself to uid:gid. Everything inside it is made
// by the process after it dropped root, so it is the user's already. Root
// deliberately does not walk the tree: the unprivileged user can write in
// it, and could swap a directory for a symbolic link mid-walk to have root
// hand over a file elsewhere.
func chownTop(dir string, uid, gid int) error {
	var st syscall.Stat_t
	if err := syscall.Lstat(dir, &st); err != nil {
		return fmt.Errorf("data_dir: %w", err)
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFDIR {
		return fmt.Errorf("data_dir: %s is not a directory", dir)
	}
	if int(st.Uid) == uid && int(st.Gid) == gid {
		return nil
	}
	if err := os.Lchown(dir, uid, gid); err != nil {
		return fmt.Errorf("data_dir: unable to hand %s to uid %d: %w", dir, uid, err)
	}
	return nil
}

// checkReachable explains the common failure after a drop: a data_dir under
// a directory the new user cannot enter, such as /root.
func checkReachable(dataDir, userName string) error {
	f, err := os.CreateTemp(dataDir, ".write-check-")
	if err == nil {
		f.Close()
		return os.Remove(f.Name())
	}
	return fmt.Errorf("data_dir: %s is not writable by %s after dropping root (%v); "+
		"put data_dir where that user can reach it, e.g. /var/lib/pukeko", dataDir, userName, err)
}
