// Package buildinfo tells which Pukeko this binary is.
package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the release; Commit the source revision. Both may be set at
// build time with -ldflags "-X pukeko/app/buildinfo.Version=...". When
// Commit is not set, the revision Go records from a git checkout is used.
var (
	Version = "0.1.0-dev"
	Commit  = ""
)

// Revision returns the commit this binary was built from, "+dirty" when the
// checkout had uncommitted changes, or "unknown".
func Revision() string {
	if Commit != "" {
		return Commit
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "unknown"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return rev
}

// String is the one-line description `pukeko version` prints.
func String() string {
	return fmt.Sprintf("pukeko %s (commit %s, %s, %s/%s)", Version, Revision(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
