// Package assets embeds what Pukeko serves as files: templates and static
// files (CSS, icons, vendored JavaScript), built into the binary so that a
// server needs nothing beside it.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed static
var files embed.FS

// Static is the tree served at the site root for well-known files and under
// /static/ for the web UI's assets.
var Static, _ = fs.Sub(files, "static")

//go:embed templates
var templateFiles embed.FS

// Templates holds the HTML templates, one directory per package that
// renders them (oauth/ for the login, consent and code pages).
var Templates, _ = fs.Sub(templateFiles, "templates")

//go:embed email
var emailFiles embed.FS

// Email holds the templates of the email Pukeko sends (app/email): for
// each message name.txt (plain text, defining "subject") and name.html,
// and the pages its links open (page_*.html).
var Email, _ = fs.Sub(emailFiles, "email")
