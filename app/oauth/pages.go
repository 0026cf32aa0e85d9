package oauth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/http"

	"pukeko/app/hosts"
)

// pageNames are the templates under oauth/ that are rendered as pages; the
// parse fails if one is missing, and layout.html holds their frame.
var pageNames = []string{"login.html", "consent.html", "code.html", "error.html", "form_post.html"}

// formPostScript is the only script of any page: it submits the form_post
// response. The page's Content-Security-Policy allows it by its hash.
const formPostScript = `document.forms[0].submit()`

var formPostScriptHash = func() string {
	sum := sha256.Sum256([]byte(formPostScript))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

func parsePages(fsys fs.FS) *template.Template {
	t := template.Must(template.ParseFS(fsys, "oauth/*.html"))
	for _, name := range pageNames {
		if t.Lookup(name) == nil {
			panic("oauth: template oauth/" + name + " is missing")
		}
	}
	return t
}

// page is a page's data; render adds the frame's Title and Site.
type page map[string]any

// render writes a page. Pages are never cached (they carry CSRF tokens and
// codes) and never framed (the consent page must not be clickjacked). The
// policy deliberately has no form-action: browsers apply it to the
// redirect after a form is posted, which would block the return to the
// app's redirect URI.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data page) {
	if data == nil {
		data = page{}
	}
	data["Title"] = title
	data["Site"] = siteName(r)
	var buf bytes.Buffer
	if err := s.pages.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("oauth: rendering a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; script-src "+
		formPostScriptHash+"; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage renders a page telling the user what went wrong, for errors
// that must not be sent back to the client (an unknown client or a
// redirect URI that was not registered).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, message string) {
	s.render(w, r, status, "error.html", title, page{"Message": message})
}

// siteName names the server in page titles: the domain's site name, else
// the host.
func siteName(r *http.Request) string {
	if d := hosts.Domain(r.Context()); d != nil {
		if d.SiteName != "" {
			return d.SiteName
		}
		return d.Domain
	}
	return hosts.Host(r)
}
