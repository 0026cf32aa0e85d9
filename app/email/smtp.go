package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strconv"
	"time"
)

// ErrRejected marks a message the server refused for good: a permanent
// (5xx) answer to its sender, recipient or content. Sending it again
// cannot help.
var ErrRejected = errors.New("email: refused by the server")

// Send delivers one composed message to the SMTP server, for to. The
// conversation ends when ctx does or after the timeout. Errors wrap
// ErrRejected when the server refused the message for good; any other
// error may pass on a later attempt.
func (o Options) Send(ctx context.Context, to string, msg []byte) error {
	sender, err := mail.ParseAddress(o.From)
	if err != nil {
		return fmt.Errorf("email: sender %q: %w", o.From, err)
	}
	addr := net.JoinHostPort(o.Host, strconv.Itoa(o.port()))
	d := net.Dialer{Timeout: o.timeout()}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("email: connecting to %s: %w", addr, err)
	}
	defer context.AfterFunc(ctx, func() { conn.Close() })()
	conn.SetDeadline(time.Now().Add(o.timeout()))
	tlsConfig := &tls.Config{ServerName: o.Host, RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12}
	if o.TLS == TLSImplicit {
		tc := tls.Client(conn, tlsConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return fmt.Errorf("email: TLS with %s: %w", addr, err)
		}
		conn = tc
	}
	c, err := smtp.NewClient(conn, o.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("email: greeting of %s: %w", addr, err)
	}
	defer c.Close()
	if err := c.Hello(o.helloName()); err != nil {
		return fmt.Errorf("email: EHLO to %s: %w", addr, err)
	}
	if o.TLS == TLSStartTLS || o.TLS == "" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("email: %s offers no STARTTLS (email.tls: none sends in the clear)", addr)
		}
		if err := c.StartTLS(tlsConfig); err != nil {
			return fmt.Errorf("email: STARTTLS with %s: %w", addr, err)
		}
	}
	if o.Username != "" {
		// PlainAuth sends the password only over TLS or to loopback.
		if err := c.Auth(smtp.PlainAuth("", o.Username, o.Password, o.Host)); err != nil {
			return fmt.Errorf("email: logging in to %s: %w", addr, err)
		}
	}
	if err := c.Mail(sender.Address); err != nil {
		return refused("sender", err)
	}
	if err := c.Rcpt(to); err != nil {
		return refused("recipient "+to, err)
	}
	w, err := c.Data()
	if err != nil {
		return refused("message", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("email: writing the message: %w", err)
	}
	if err := w.Close(); err != nil {
		return refused("message", err)
	}
	// The server has the message: a failed goodbye changes nothing.
	c.Quit()
	return nil
}

// refused wraps an error of the SMTP conversation about what, marking
// permanent answers with ErrRejected.
func refused(what string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) && te.Code >= 500 {
		return fmt.Errorf("%w: %s: %w", ErrRejected, what, err)
	}
	return fmt.Errorf("email: %s: %w", what, err)
}
