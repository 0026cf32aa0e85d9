package spec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// RelPath is where the reference spec lives, relative to the module root
// (the directory holding go.mod): in the shared folder laid beside the
// repository. A user's own clone has no such folder.
const RelPath = "../shared/mastodon-openapi.json"

// ErrSpecMissing is wrapped by Locate and Load when the module root was found
// but the reference spec is not beside it. ForTest turns it into a skip.
var ErrSpecMissing = errors.New(RelPath + " is not beside the repository")

// startDir is where Locate starts walking up. It is a variable so that the
// package's own test can point it at a directory with no spec beside it.
var startDir = os.Getwd

// Locate returns the path of the reference spec. It walks up from the
// working directory to the first directory holding go.mod (the module root;
// `go test` runs in the package directory, a subcommand anywhere in the tree)
// and looks for RelPath from there. The walk is done here rather than with
// testkit.ModuleRoot so that this package, used by a subcommand too, does not
// pull in testkit's database and binary-building dependencies.
func Locate() (string, error) {
	dir, err := startDir()
	if err != nil {
		return "", fmt.Errorf("spec: unable to read the working directory: %w", err)
	}
	root, err := moduleRoot(dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(root, filepath.FromSlash(RelPath))
	if _, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("spec: %w (looked for %s)", ErrSpecMissing, path)
		}
		return "", fmt.Errorf("spec: unable to stat %s: %w", path, err)
	}
	return path, nil
}

// moduleRoot returns the nearest directory at or above dir that holds go.mod.
func moduleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("spec: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("spec: no go.mod at or above the working directory")
		}
		dir = parent
	}
}
