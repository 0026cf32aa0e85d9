package emailtest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

// Received is a message the sink took: the envelope, the headers, and
// its plain-text and HTML bodies decoded.
type Received struct {
	From string   // envelope sender
	To   []string // envelope recipients
	Raw  []byte
	Text string
	HTML string
	head mail.Header
}

// Header returns a header, decoded from RFC 2047 words.
func (m *Received) Header(key string) string {
	v := m.head.Get(key)
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return d
	}
	return v
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// Link returns the first link of the plain-text body that contains part,
// "" when there is none.
func (m *Received) Link(part string) string {
	for _, l := range linkPattern.FindAllString(m.Text, -1) {
		if strings.Contains(l, part) {
			return l
		}
	}
	return ""
}

// parse reads a message as a mail client would.
func parse(from string, to []string, raw []byte) (*Received, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	m := &Received{From: from, To: to, Raw: raw, head: msg.Header}
	if err := m.readPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body); err != nil {
		return nil, err
	}
	return m, nil
}

// readPart reads a body of ctype, recursing into multipart ones.
func (m *Received) readPart(ctype, encoding string, body io.Reader) error {
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return fmt.Errorf("content type %q: %w", ctype, err)
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if params["charset"] != "" && !strings.EqualFold(params["charset"], "utf-8") {
		return fmt.Errorf("charset %q", params["charset"])
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch media {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}
