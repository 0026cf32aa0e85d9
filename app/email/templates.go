package email

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"io"
	"io/fs"
	"strings"
	texttemplate "text/template"

	"pukeko/assets"
)

// templates are the messages of assets/email, parsed once: per name the
// plain-text template (defining "subject") and the HTML one, if any.
var templates = mustParse(assets.Email)

type messageTemplates struct {
	text map[string]*texttemplate.Template
	html map[string]*htmltemplate.Template
	page map[string]*htmltemplate.Template
}

func mustParse(fsys fs.FS) messageTemplates {
	t := messageTemplates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{},
		page: map[string]*htmltemplate.Template{}}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		name := e.Name()
		switch base, ext, _ := strings.Cut(name, "."); {
		case ext == "txt":
			t.text[base] = texttemplate.Must(texttemplate.ParseFS(fsys, name))
		case ext == "html" && strings.HasPrefix(base, "page_"):
			t.page[strings.TrimPrefix(base, "page_")] = htmltemplate.Must(htmltemplate.ParseFS(fsys, name))
		case ext == "html":
			t.html[base] = htmltemplate.Must(htmltemplate.ParseFS(fsys, name))
		}
	}
	for base := range t.html {
		if t.text[base] == nil {
			panic("assets/email: " + base + ".html has no " + base + ".txt")
		}
	}
	return t
}

// Render fills the templates of message name with data: the subject and
// plain text of name.txt, the HTML of name.html when there is one.
func Render(name string, data any) (Message, error) {
	text := templates.text[name]
	if text == nil {
		return Message{}, fmt.Errorf("email: no message %q", name)
	}
	var m Message
	var buf bytes.Buffer
	if err := text.ExecuteTemplate(&buf, "subject", data); err != nil {
		return m, fmt.Errorf("email: subject of %s: %w", name, err)
	}
	m.Subject = oneLine(buf.String())
	buf.Reset()
	if err := text.Execute(&buf, data); err != nil {
		return m, fmt.Errorf("email: text of %s: %w", name, err)
	}
	m.Text = buf.String()
	if html := templates.html[name]; html != nil {
		buf.Reset()
		if err := html.Execute(&buf, data); err != nil {
			return m, fmt.Errorf("email: HTML of %s: %w", name, err)
		}
		m.HTML = buf.String()
	}
	return m, nil
}

// RenderPage writes the page name (page_name.html), which links in email
// open, filled with data.
func RenderPage(w io.Writer, name string, data any) error {
	page := templates.page[name]
	if page == nil {
		return fmt.Errorf("email: no page %q", name)
	}
	return page.Execute(w, data)
}
