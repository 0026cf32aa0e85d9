package bundled

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

var serverVersion = regexp.MustCompile(`\(PostgreSQL\) (\d+)(?:\.(\d+))?`)

// MajorVersion runs `postgres --version` in binDir and returns the major
// version as PostgreSQL writes it into PG_VERSION: "15" for 15.x, "9.6" for
// 9.6.x.
func MajorVersion(binDir string) (string, error) {
	out, err := exec.Command(filepath.Join(binDir, "postgres"), "--version").Output()
	if err != nil {
		return "", fmt.Errorf("bundled postgres: unable to run %s --version: %w", filepath.Join(binDir, "postgres"), err)
	}
	return parseMajor(string(out))
}

// parseMajor reads the major version from `postgres --version` output.
func parseMajor(out string) (string, error) {
	m := serverVersion.FindStringSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("bundled postgres: unexpected version output %q", strings.TrimSpace(out))
	}
	// Before 10, the major version had two parts (9.6).
	if len(m[1]) == 1 && m[2] != "" {
		return m[1] + "." + m[2], nil
	}
	return m[1], nil
}

// ErrVersionMismatch means the data directory was created by another major
// version of PostgreSQL than the binaries in use.
var ErrVersionMismatch = errors.New("PostgreSQL major version mismatch")

// DataVersion returns the content of dataDir/PG_VERSION, or "" when the file
// does not exist (a directory that was never initialised).
func DataVersion(dataDir string) (string, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("bundled postgres: unable to read %s: %w", filepath.Join(dataDir, "PG_VERSION"), err)
	}
	return strings.TrimSpace(string(b)), nil
}

// checkVersion refuses a data directory of another major version. It reads
// and never writes: the directory is left exactly as it was.
func checkVersion(dataDir, binDir, binMajor string) error {
	dataMajor, err := DataVersion(dataDir)
	if err != nil || dataMajor == "" || dataMajor == binMajor {
		return err
	}
	return fmt.Errorf("%w: the data directory %s was created by PostgreSQL %s, but the binaries in %s are PostgreSQL %s. "+
		"Nothing was changed. Set database.bundled.binaries to a PostgreSQL %s installation, "+
		"or upgrade the data directory with pg_upgrade (keep a backup)",
		ErrVersionMismatch, dataDir, dataMajor, binDir, binMajor, dataMajor)
}
