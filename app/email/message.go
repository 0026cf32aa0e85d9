package email

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Message is one email: its recipient, subject and bodies (plain text,
// and HTML when not empty).
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
}

// Compose writes m as an RFC 5322 message from from (an address with an
// optional name), dated now: plain text and HTML as alternatives, both
// UTF-8 in quoted-printable, lines ending in CRLF. It refuses addresses
// that do not parse, so no header can be smuggled in through them.
func Compose(from string, m Message, now time.Time) ([]byte, error) {
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("email: sender %q: %w", from, err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, fmt.Errorf("email: recipient %q: %w", m.To, err)
	}
	var buf bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&buf, "%s: %s\r\n", k, v) }
	header("From", sender.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(sender.Address))
	header("MIME-Version", "1.0")
	// Automatic mail: vacation responders should not answer it (RFC 3834).
	header("Auto-Submitted", "auto-generated")
	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		buf.WriteString("\r\n")
		if err := writeQP(&buf, m.Text); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	parts := multipart.NewWriter(&buf)
	header("Content-Type", `multipart/alternative; boundary="`+parts.Boundary()+`"`)
	buf.WriteString("\r\n")
	for _, p := range []struct{ ctype, body string }{{"text/plain", m.Text}, {"text/html", m.HTML}} {
		w, err := parts.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {p.ctype + "; charset=utf-8"},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, p.body); err != nil {
			return nil, err
		}
	}
	if err := parts.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeQP writes s quoted-printable (line breaks become CRLF).
func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return err
	}
	return qp.Close()
}

// oneLine folds a header value onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// messageID makes a unique Message-ID in the domain of the sender.
func messageID(sender string) string {
	var b [16]byte
	rand.Read(b[:])
	domain := "localhost"
	if i := strings.LastIndexByte(sender, '@'); i >= 0 {
		domain = sender[i+1:]
	}
	return "<" + hex.EncodeToString(b[:]) + "@" + domain + ">"
}
