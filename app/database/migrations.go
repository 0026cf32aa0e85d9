package database

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
)

// Migration is one schema file: its version (the number it starts with),
// its name, its SQL and the SHA-256 of that SQL.
type Migration struct {
	Version  int
	Name     string
	SQL      string
	Checksum string
}

var migrationFileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// LoadMigrations reads every NNNN_name.sql file at the root of fsys. Versions
// must run 1, 2, 3, ... without gaps or repeats, so that the schema version of
// a database is simply the number of migrations applied to it.
func LoadMigrations(fsys fs.FS) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("migrations: unable to list files: %w", err)
	}
	var migs []Migration
	for _, e := range entries {
		if e.IsDir() || !hasSQLSuffix(e.Name()) {
			continue
		}
		m := migrationFileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migrations: file %q is not named NNNN_lowercase_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("migrations: unable to read %s: %w", e.Name(), err)
		}
		version, _ := strconv.Atoi(m[1])
		sum := sha256.Sum256(body)
		migs = append(migs, Migration{
			Version:  version,
			Name:     e.Name(),
			SQL:      string(body),
			Checksum: hex.EncodeToString(sum[:]),
		})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].Version < migs[j].Version })
	for i, m := range migs {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migrations: expected version %04d, found %s (versions must be contiguous from 0001)", i+1, m.Name)
		}
	}
	return migs, nil
}

func hasSQLSuffix(name string) bool {
	return len(name) > 4 && name[len(name)-4:] == ".sql"
}
