package certs

import (
	"net"
	"net/http"
	"strings"
)

// HTTPHandler returns the handler of the plain-HTTP listener. In mode auto
// it answers ACME HTTP-01 challenges; everything else is redirected (301)
// to https://host/path?query, the HTTPS listener being on the standard port
// as far as clients can tell. A request without a Host to redirect to
// (HTTP/1.0) goes to next, or gets 400 when next is nil; the application is
// never served over plain HTTP otherwise.
func (m *Manager) HTTPHandler(next http.Handler) http.Handler {
	h := redirectHandler(next)
	if m.issuer != nil {
		h = m.issuer.HTTPChallengeHandler(h)
	}
	return h
}

func redirectHandler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := redirectHost(r.Host)
		if host == "" {
			if next != nil {
				next.ServeHTTP(w, r)
				return
			}
			http.Error(w, "missing Host header", http.StatusBadRequest)
			return
		}
		// RequestURI is the path and query exactly as the client sent them.
		target := "https://" + host + r.URL.RequestURI()
		http.Redirect(w, r, target, http.StatusMovedPermanently)
	})
}

// redirectHost returns the host of a Host header without its port (the
// plain-HTTP port means nothing for HTTPS), brackets kept around IPv6, or
// "" when there is nothing usable.
func redirectHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	} else {
		host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	if host == "" || strings.ContainsAny(host, "/\\@ ") {
		return ""
	}
	if strings.Contains(host, ":") {
		return "[" + host + "]"
	}
	return host
}
