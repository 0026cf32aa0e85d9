package email

import (
	"crypto/x509"
	"time"
)

// TLS modes of the connection to the SMTP server.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS, which
	// the server must offer (the submission port, 587).
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit = "tls"
	// TLSNone never encrypts: a relay on the same machine or network.
	// Passwords are then sent to loopback servers only.
	TLSNone = "none"
)

// Options describe the SMTP server and the sender.
type Options struct {
	Host     string // the SMTP server; "" sends no email at all
	Port     int    // 587 when 0
	Username string // "" for no authentication
	Password string
	// From is the sender, an address with an optional name
	// ("Pukeko <notifications@example.com>").
	From string
	TLS  string // TLSStartTLS (the default when ""), TLSImplicit or TLSNone
	// HelloName is the name given in EHLO (the main domain).
	HelloName string
	// Timeout bounds one conversation with the server (30 s when 0).
	Timeout time.Duration
	// RootCAs, when not nil, are the roots the server's certificate must
	// chain to instead of the system's (tests).
	RootCAs *x509.CertPool
}

// Enabled reports whether email is configured.
func (o Options) Enabled() bool { return o.Host != "" }

func (o Options) port() int {
	if o.Port == 0 {
		return 587
	}
	return o.Port
}

func (o Options) timeout() time.Duration {
	if o.Timeout <= 0 {
		return 30 * time.Second
	}
	return o.Timeout
}

func (o Options) helloName() string {
	if o.HelloName == "" {
		return "localhost"
	}
	return o.HelloName
}
