// Package schema embeds Pukeko's SQL migrations. Files are named
// NNNN_description.sql, applied in order, and never edited once they have
// landed: a changed file is refused by the migration runner.
package schema

import "embed"

// Files holds every migration file of this build.
//
//go:embed *.sql
var Files embed.FS
