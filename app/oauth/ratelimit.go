package oauth

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"

	"pukeko/app/model"
	"pukeko/app/password"
	"pukeko/app/store"
)

// Errors of CheckLogin.
var (
	// ErrTooManyAttempts means the email or the address has used up its
	// failed logins for the current window; even the right password is
	// refused until the window ends.
	ErrTooManyAttempts = errors.New("oauth: too many failed logins")
	// ErrBadCredentials means the email is unknown or the password wrong;
	// callers must not tell which.
	ErrBadCredentials = errors.New("oauth: invalid email or password")
	// ErrBanned means the credentials are right but the user is banned.
	ErrBanned = errors.New("oauth: the account is suspended")
)

// CheckLogin checks an email and password, counting failures per email and
// per client address in PostgreSQL (fixed windows, shared by every web
// process) and refusing with ErrTooManyAttempts past the limits.
func (s *Server) CheckLogin(ctx context.Context, ip, email, pw string) (*model.User, error) {
	email = strings.TrimSpace(email)
	keys := []struct {
		key   string
		limit int
	}{
		{"email:" + strings.ToLower(email), s.opts.LoginLimitPerEmail},
		{"ip:" + addressKey(ip), s.opts.LoginLimitPerIP},
	}
	for _, k := range keys {
		n, err := store.LoginFailures(ctx, s.db, k.key, s.opts.LoginWindow)
		if err != nil {
			return nil, err
		}
		if n >= k.limit {
			return nil, ErrTooManyAttempts
		}
	}
	fail := func() (*model.User, error) {
		for _, k := range keys {
			if _, err := store.RecordLoginFailure(ctx, s.db, k.key, s.opts.LoginWindow); err != nil {
				return nil, err
			}
		}
		return nil, ErrBadCredentials
	}
	var u *model.User
	if email != "" {
		var err error
		if u, err = store.UserByEmail(ctx, s.db, email); err != nil {
			return nil, err
		}
	}
	if u == nil {
		// Spend the time a real check takes, so that timing does not tell
		// which emails have accounts.
		password.Verify(pw, dummyHash())
		return fail()
	}
	if password.Verify(pw, u.PasswordHash) != nil {
		return fail()
	}
	if u.Banned {
		return nil, ErrBanned
	}
	return u, nil
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := password.Hash(newSecret())
	return h
})

// addressKey groups IPv6 clients by /64, the block one machine usually
// holds, so that walking through its addresses gains nothing.
func addressKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil {
		return ip
	}
	if v4 := a.To4(); v4 != nil {
		return v4.String()
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// remoteIP is the default Options.ClientIP: the peer's address.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
