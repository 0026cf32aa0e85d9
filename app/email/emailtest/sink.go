// Package emailtest runs a small SMTP server on loopback for tests: it
// takes every message it is sent and hands it to the test, read as a mail
// client would (headers, and the plain text and HTML parts decoded). It
// speaks enough SMTP for net/smtp: EHLO, STARTTLS, AUTH PLAIN, MAIL,
// RCPT, DATA, RSET, NOOP, QUIT. Only tests import it.
package emailtest

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options shape a Sink.
type Options struct {
	// TLS, when set, is offered with STARTTLS, or spoken from the first
	// byte when Implicit.
	TLS      *tls.Config
	Implicit bool
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string
	// Refuse, when set, answers RCPT TO: a code and text to refuse the
	// recipient with (4xx for now, 5xx for good), or 0 to take it.
	Refuse func(rcpt string) (int, string)
}

// Sink is a running SMTP server.
type Sink struct {
	Host string // 127.0.0.1
	Port int
	t    testing.TB
	opts Options
	ln   net.Listener
	got  chan *Received

	mu       sync.Mutex
	sessions int
}

// Start runs a sink until the test ends.
func Start(t testing.TB, opts Options) *Sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opts.Implicit {
		ln = tls.NewListener(ln, opts.TLS)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s := &Sink{Host: "127.0.0.1", Port: addr.Port, t: t, opts: opts, ln: ln, got: make(chan *Received, 100)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				s.serve(conn)
			}()
		}
	}()
	return s
}

// Env returns the PUKEKO_EMAIL_* settings of a node sending to s.
func (s *Sink) Env() []string {
	tlsMode := "none"
	switch {
	case s.opts.TLS != nil && s.opts.Implicit:
		tlsMode = "tls"
	case s.opts.TLS != nil:
		tlsMode = "starttls"
	}
	return []string{
		"PUKEKO_EMAIL_SMTP_HOST=" + s.Host,
		"PUKEKO_EMAIL_SMTP_PORT=" + strconv.Itoa(s.Port),
		"PUKEKO_EMAIL_SMTP_USERNAME=" + s.opts.Username,
		"PUKEKO_EMAIL_SMTP_PASSWORD=" + s.opts.Password,
		"PUKEKO_EMAIL_TLS=" + tlsMode,
	}
}

// Next returns the next message received, failing the test when none
// comes within 30 s.
func (s *Sink) Next() *Received {
	s.t.Helper()
	select {
	case m := <-s.got:
		return m
	case <-time.After(30 * time.Second):
		s.t.Fatal("no email came")
		return nil
	}
}

// None fails the test if a message comes within d.
func (s *Sink) None(d time.Duration) {
	s.t.Helper()
	select {
	case m := <-s.got:
		s.t.Fatalf("unexpected email to %v: %s", m.To, m.Header("Subject"))
	case <-time.After(d):
	}
}

// Sessions counts the connections the sink has had.
func (s *Sink) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

// session is one SMTP conversation.
type session struct {
	s      *Sink
	conn   net.Conn
	r      *bufio.Reader
	tls    bool
	authed bool
	from   string
	to     []string
}

func (s *Sink) serve(conn net.Conn) {
	s.mu.Lock()
	s.sessions++
	s.mu.Unlock()
	conn.SetDeadline(time.Now().Add(time.Minute))
	ss := &session{s: s, conn: conn, r: bufio.NewReader(conn), tls: s.opts.Implicit}
	ss.reply("220 sink.test ESMTP")
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			lines := []string{"250-sink.test", "250-8BITMIME"}
			if s.opts.TLS != nil && !ss.tls {
				lines = append(lines, "250-STARTTLS")
			}
			if s.opts.Username != "" {
				lines = append(lines, "250-AUTH PLAIN")
			}
			ss.reply(strings.Join(append(lines, "250 OK"), "\r\n"))
		case "STARTTLS":
			if s.opts.TLS == nil || ss.tls {
				ss.reply("502 no STARTTLS here")
				continue
			}
			ss.reply("220 go ahead")
			tc := tls.Server(conn, s.opts.TLS)
			if err := tc.Handshake(); err != nil {
				return
			}
			ss.conn, ss.r, ss.tls = tc, bufio.NewReader(tc), true
		case "AUTH":
			ss.auth(arg)
		case "MAIL":
			if s.opts.Username != "" && !ss.authed {
				ss.reply("530 authentication required")
				continue
			}
			ss.from = address(arg)
			ss.reply("250 OK")
		case "RCPT":
			rcpt := address(arg)
			if s.opts.Refuse != nil {
				if code, text := s.opts.Refuse(rcpt); code != 0 {
					ss.reply(fmt.Sprintf("%d %s", code, text))
					continue
				}
			}
			ss.to = append(ss.to, rcpt)
			ss.reply("250 OK")
		case "DATA":
			if len(ss.to) == 0 {
				ss.reply("503 no recipients")
				continue
			}
			ss.reply("354 end with <CRLF>.<CRLF>")
			data, err := ss.readData()
			if err != nil {
				return
			}
			m, err := parse(ss.from, ss.to, data)
			if err != nil {
				s.t.Errorf("emailtest: a message that does not parse: %v\n%s", err, data)
				ss.reply("554 malformed")
				continue
			}
			s.got <- m
			ss.from, ss.to = "", nil
			ss.reply("250 queued")
		case "RSET":
			ss.from, ss.to = "", nil
			ss.reply("250 OK")
		case "NOOP":
			ss.reply("250 OK")
		case "QUIT":
			ss.reply("221 bye")
			return
		default:
			ss.reply("502 not implemented")
		}
	}
}

func (ss *session) reply(text string) {
	fmt.Fprintf(ss.conn, "%s\r\n", text)
}

// auth checks AUTH PLAIN with its initial response.
func (ss *session) auth(arg string) {
	mech, resp, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") {
		ss.reply("504 PLAIN only")
		return
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(raw), "\x00")
	if err != nil || len(parts) != 3 || parts[1] != ss.s.opts.Username || parts[2] != ss.s.opts.Password {
		ss.reply("535 authentication failed")
		return
	}
	ss.authed = true
	ss.reply("235 authenticated")
}

// readData reads a message up to the line ".", undoing dot-stuffing.
func (ss *session) readData() ([]byte, error) {
	var out []byte
	for {
		line, err := ss.r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return out, nil
		}
		out = append(out, strings.TrimPrefix(line, ".")...)
	}
}

// address reads the <address> of "FROM:<a> ..." or "TO:<a>".
func address(arg string) string {
	if i := strings.IndexByte(arg, '<'); i >= 0 {
		if j := strings.IndexByte(arg[i:], '>'); j >= 0 {
			return arg[i+1 : i+j]
		}
	}
	return ""
}
