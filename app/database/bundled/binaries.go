package bundled

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
)

// ErrNoBinaries means no PostgreSQL installation was found on this machine.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries found")

// systemLocations are searched, in order, after PATH. Debian and Ubuntu
// install each major version under /usr/lib/postgresql/N/bin.
var systemLocations = []string{"/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin"}

// FindBinaries returns the directory holding initdb and postgres. configured
// may name an installation root (with bin/ inside) or the bin directory
// itself; when empty, pg_ctl on PATH is followed through symlinks, then the
// usual system locations are tried, newest major version first.
func FindBinaries(configured string) (string, error) {
	if configured != "" {
		for _, dir := range []string{filepath.Join(configured, "bin"), configured} {
			if hasServerBinaries(dir) {
				return dir, nil
			}
		}
		return "", fmt.Errorf("database.bundled.binaries: %s holds no initdb and postgres (looked in it and in its bin/)", configured)
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		// /usr/local/bin/pg_ctl may be a symlink into the real installation,
		// where initdb and postgres sit beside the target.
		if real, err := filepath.EvalSymlinks(p); err == nil && hasServerBinaries(filepath.Dir(real)) {
			return filepath.Dir(real), nil
		}
		if hasServerBinaries(filepath.Dir(p)) {
			return filepath.Dir(p), nil
		}
	}
	for _, pattern := range systemLocations {
		matches, _ := filepath.Glob(pattern)
		sort.Slice(matches, func(i, j int) bool { return versionOfPath(matches[i]) > versionOfPath(matches[j]) })
		for _, dir := range matches {
			if hasServerBinaries(dir) {
				return dir, nil
			}
		}
	}
	return "", ErrNoBinaries
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

var numberInPath = regexp.MustCompile(`/(\d+)(?:\.\d+)?/bin$`)

// versionOfPath extracts N from /usr/lib/postgresql/N/bin for sorting.
func versionOfPath(dir string) int {
	m := numberInPath.FindStringSubmatch(dir)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
