package email

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pukeko/app/email/emailtest"
)

// sinkOptions returns Options sending to a sink as from@pukeko.test.
func sinkOptions(s *emailtest.Sink, tlsMode string) Options {
	return Options{Host: s.Host, Port: s.Port, From: "Pukeko <from@pukeko.test>", TLS: tlsMode, HelloName: "pukeko.test",
		Timeout: 10 * time.Second}
}

// A message goes out with its headers encoded, both bodies intact (long
// lines, a line starting with a dot, non-ASCII text) and the envelope
// matching the headers.
func TestSendPlain(t *testing.T) {
	t.Parallel()
	sink := emailtest.Start(t, emailtest.Options{})
	text := "Kia ora, Māui!\n.a line starting with a dot\n" + strings.Repeat("long ", 40) + "\n"
	raw, err := Compose("Pukeko <from@pukeko.test>", Message{To: "kiwi@example.com", Subject: "Tēnā koe\r\nBcc: evil@example.com",
		Text: text, HTML: "<p>Kia ora, <b>Māui</b>!</p>"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := sinkOptions(sink, TLSNone).Send(context.Background(), "kiwi@example.com", raw); err != nil {
		t.Fatal(err)
	}
	m := sink.Next()
	if m.From != "from@pukeko.test" || len(m.To) != 1 || m.To[0] != "kiwi@example.com" {
		t.Errorf("envelope: %s -> %v", m.From, m.To)
	}
	if m.Header("Subject") != "Tēnā koe Bcc: evil@example.com" || m.Header("Bcc") != "" {
		t.Errorf("subject %q, Bcc %q", m.Header("Subject"), m.Header("Bcc"))
	}
	if m.Header("From") != `"Pukeko" <from@pukeko.test>` || m.Header("To") != "<kiwi@example.com>" ||
		!strings.HasSuffix(m.Header("Message-ID"), "@pukeko.test>") || m.Header("Date") == "" {
		t.Errorf("headers: %s", m.Raw)
	}
	if m.Text != text || m.HTML != "<p>Kia ora, <b>Māui</b>!</p>" {
		t.Errorf("bodies: %q, %q", m.Text, m.HTML)
	}
}

// Addresses are checked before anything is written: no header can be
// smuggled in through them.
func TestComposeRefusesBadAddresses(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ from, to string }{
		{"from@pukeko.test", "kiwi@example.com\r\nBcc: evil@example.com"},
		{"from@pukeko.test", "not an address"},
		{"", "kiwi@example.com"},
	} {
		if _, err := Compose(c.from, Message{To: c.to, Subject: "x", Text: "x"}, time.Now()); err == nil {
			t.Errorf("Compose from %q to %q: no error", c.from, c.to)
		}
	}
}

// STARTTLS and implicit TLS, with a password; a server without STARTTLS
// is refused when it is required, and a wrong password fails (to be
// retried).
func TestSendTLSAndAuth(t *testing.T) {
	t.Parallel()
	serverTLS, roots := emailtest.TLS(t)
	raw, err := Compose("from@pukeko.test", Message{To: "kiwi@example.com", Subject: "Hi", Text: "Hi"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		sink := emailtest.Start(t, emailtest.Options{TLS: serverTLS, Implicit: mode == TLSImplicit, Username: "pukeko", Password: "s3cret"})
		o := sinkOptions(sink, mode)
		o.Username, o.Password, o.RootCAs = "pukeko", "s3cret", roots
		if err := o.Send(ctx, "kiwi@example.com", raw); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if m := sink.Next(); m.Header("Subject") != "Hi" {
			t.Errorf("%s: %s", mode, m.Raw)
		}
		o.Password = "wrong"
		if err := o.Send(ctx, "kiwi@example.com", raw); err == nil || errors.Is(err, ErrRejected) {
			t.Errorf("%s with a wrong password: %v", mode, err)
		}
		o.RootCAs = nil
		if err := o.Send(ctx, "kiwi@example.com", raw); err == nil {
			t.Errorf("%s with a certificate not trusted: no error", mode)
		}
	}
	plain := emailtest.Start(t, emailtest.Options{})
	if err := sinkOptions(plain, TLSStartTLS).Send(ctx, "kiwi@example.com", raw); err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("STARTTLS required of a server without it: %v", err)
	}
	plain.None(100 * time.Millisecond)
}

// A permanent refusal is ErrRejected; a temporary one is not.
func TestSendRefusals(t *testing.T) {
	t.Parallel()
	sink := emailtest.Start(t, emailtest.Options{Refuse: func(rcpt string) (int, string) {
		switch rcpt {
		case "nobody@example.com":
			return 550, "no such user"
		case "busy@example.com":
			return 451, "try again later"
		}
		return 0, ""
	}})
	o := sinkOptions(sink, TLSNone)
	ctx := context.Background()
	for to, rejected := range map[string]bool{"nobody@example.com": true, "busy@example.com": false} {
		raw, _ := Compose(o.From, Message{To: to, Subject: "x", Text: "x"}, time.Now())
		err := o.Send(ctx, to, raw)
		if err == nil || errors.Is(err, ErrRejected) != rejected {
			t.Errorf("to %s: %v (want rejected %v)", to, err, rejected)
		}
	}
	sink.None(100 * time.Millisecond)
}
