//go:build unix

package imaging

import (
	"syscall"
	"time"
)

// cpuTime returns the user+system CPU time consumed by the process so far,
// which, unlike wall time, is not inflated by other load on the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
