package bundled

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Owner describes the process that owns the bundled cluster.
type Owner struct {
	PID  int
	Role string // "serve", or the name of an administrative command
}

// Ownership is held by the one process that starts and stops the cluster.
// It is an flock on runtimeDir/bundled.lock: the kernel releases it when the
// process dies, however it dies, so a crash never leaves a stale claim.
type Ownership struct {
	file *os.File
}

// LockFileName is the name of the ownership lock inside the runtime directory.
const LockFileName = "bundled.lock"

// Claim tries to take ownership of the cluster whose runtime directory is
// runtimeDir. When another live process holds it, Claim returns a nil
// Ownership and that process's Owner.
func Claim(runtimeDir, role string) (*Ownership, *Owner, error) {
	if err := os.MkdirAll(runtimeDir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("bundled postgres: unable to create runtime directory: %w", err)
	}
	path := filepath.Join(runtimeDir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("bundled postgres: unable to open %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, readOwner(path), nil
		}
		return nil, nil, fmt.Errorf("bundled postgres: unable to lock %s: %w", path, err)
	}
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "%d %s\n", os.Getpid(), role)
	}
	return &Ownership{file: f}, nil, nil
}

// Release gives up ownership.
func (o *Ownership) Release() {
	if o == nil || o.file == nil {
		return
	}
	o.file.Truncate(0)
	o.file.Close() // closing the descriptor drops the flock
	o.file = nil
}

// readOwner reads "PID ROLE" from the lock file. The owner writes it just
// after locking, so a reader may briefly see it empty: PID 0 then.
func readOwner(path string) *Owner {
	b, _ := os.ReadFile(path)
	fields := strings.Fields(string(b))
	o := &Owner{Role: "unknown"}
	if len(fields) >= 1 {
		o.PID, _ = strconv.Atoi(fields[0])
	}
	if len(fields) >= 2 {
		o.Role = fields[1]
	}
	return o
}
