package bundled

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
)

// initCluster creates a new cluster at dataDir with initdb: locale C,
// encoding UTF8, SCRAM passwords for every connection. initdb writes into a
// temporary sibling directory that is renamed into place only once it
// succeeded, so an interrupted initdb never leaves a half-made cluster that
// a later start would take for a real one.
func (c *Cluster) initCluster(password string) error {
	dataDir := c.opts.DataDir
	if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
		return fmt.Errorf("bundled postgres: %s is not empty but holds no PostgreSQL cluster (no PG_VERSION); refusing to touch it. "+
			"Point database.bundled.data_dir at an empty or missing directory", dataDir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("bundled postgres: unable to read %s: %w", dataDir, err)
	}

	parent := filepath.Dir(dataDir)
	if err := os.MkdirAll(parent, 0o750); err != nil {
		return fmt.Errorf("bundled postgres: unable to create %s: %w", parent, err)
	}
	tmp := dataDir + ".initdb"
	if err := os.RemoveAll(tmp); err != nil { // our own leftover from an interrupted initdb
		return fmt.Errorf("bundled postgres: unable to remove %s: %w", tmp, err)
	}
	if err := c.mkdirOwned(tmp, 0o700); err != nil {
		return err
	}
	pwfile := filepath.Join(c.opts.RuntimeDir, "initdb.pw")
	if err := c.writeFileOwned(pwfile, []byte(password+"\n")); err != nil {
		return err
	}
	defer os.Remove(pwfile)

	cmd := exec.Command(filepath.Join(c.bin, "initdb"),
		"--pgdata="+tmp,
		"--username="+Superuser,
		"--pwfile="+pwfile,
		"--auth-local=scram-sha-256",
		"--auth-host=scram-sha-256",
		"--locale=C",
		"--encoding=UTF8",
		"--no-instructions",
	)
	cmd.Dir = parent // our own working directory may be closed to the Credential user
	cmd.Env = c.childEnv()
	cmd.SysProcAttr = c.sysProcAttr(false)
	// initdb narrates every step; keep that for debug logs, and its last
	// lines for the error message should it fail.
	w := (&logPipe{logger: c.log.logger, quiet: true}).writer()
	cmd.Stdout, cmd.Stderr = w, w
	c.opts.Logger.Info("initialising PostgreSQL data directory", "data_dir", dataDir, "binaries", c.bin)
	err := cmd.Run()
	w.Close()
	if err != nil {
		os.RemoveAll(tmp)
		return fmt.Errorf("bundled postgres: initdb failed: %w\n%s", err, w.lastLines())
	}
	if err := os.Remove(dataDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("bundled postgres: unable to replace empty %s: %w", dataDir, err)
	}
	if err := os.Rename(tmp, dataDir); err != nil {
		return fmt.Errorf("bundled postgres: unable to move the new cluster into %s: %w", dataDir, err)
	}
	return nil
}

// writer returns a pipe whose lines are logged; close it when done.
func (p *logPipe) writer() *pipeWriter {
	r, w := io.Pipe()
	done := make(chan struct{})
	go func() { p.consume(r); close(done) }()
	return &pipeWriter{PipeWriter: w, done: done, pipe: p}
}

type pipeWriter struct {
	*io.PipeWriter
	done chan struct{}
	pipe *logPipe
}

func (w *pipeWriter) lastLines() string { return w.pipe.lastLines() }

// Close closes the pipe and waits until every line was logged.
func (w *pipeWriter) Close() error {
	err := w.PipeWriter.Close()
	<-w.done
	return err
}
