package bundled

import (
	"fmt"
	"os"
)

// mkdirOwned creates dir and hands it to the Credential user, if any.
func (c *Cluster) mkdirOwned(dir string, perm os.FileMode) error {
	if err := os.MkdirAll(dir, perm); err != nil {
		return fmt.Errorf("bundled postgres: unable to create %s: %w", dir, err)
	}
	return c.chown(dir)
}

// writeFileOwned writes a private file readable by the Credential user.
func (c *Cluster) writeFileOwned(path string, data []byte) error {
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("bundled postgres: unable to write %s: %w", path, err)
	}
	return c.chown(path)
}

func (c *Cluster) chown(path string) error {
	if c.opts.Credential == nil {
		return nil
	}
	if err := os.Chown(path, int(c.opts.Credential.Uid), int(c.opts.Credential.Gid)); err != nil {
		return fmt.Errorf("bundled postgres: unable to hand %s to uid %d: %w", path, c.opts.Credential.Uid, err)
	}
	return nil
}
