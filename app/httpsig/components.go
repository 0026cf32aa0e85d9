package httpsig

import (
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// This file reads the parts of a request that both signature formats cover:
// header field values and the request target.

// fieldValue returns the value of a header field as both formats define it:
// each field line trimmed of surrounding whitespace, several lines joined
// with ", ". ok is false when the request has no such field.
func fieldValue(r *http.Request, name string) (string, bool) {
	switch name {
	case "host":
		// net/http moves Host out of Header on both the client and the
		// server side.
		if h := hostOf(r); h != "" {
			return h, true
		}
		return "", false
	case "content-length":
		// A server-side request keeps the Content-Length line; a request
		// built in-process may carry only the ContentLength field.
		if len(r.Header.Values("Content-Length")) == 0 && r.ContentLength > 0 {
			return strconv.FormatInt(r.ContentLength, 10), true
		}
	}
	vals := r.Header.Values(name)
	if len(vals) == 0 {
		return "", false
	}
	trimmed := make([]string, len(vals))
	for i, v := range vals {
		trimmed[i] = strings.Trim(v, " \t")
	}
	return strings.Join(trimmed, ", "), true
}

// hostOf returns the Host the request was (or will be) sent with.
func hostOf(r *http.Request) string {
	if r.Host != "" {
		return r.Host
	}
	if h := r.Header.Get("Host"); h != "" {
		return h
	}
	if r.URL != nil {
		return r.URL.Host
	}
	return ""
}

// requestTarget returns the origin-form request target (path and query, as
// sent on the wire). A server-side request keeps the raw target in
// RequestURI, which avoids any re-encoding of the parsed URL; a client-side
// request is sent with URL.RequestURI.
func requestTarget(r *http.Request) string {
	if t := r.RequestURI; t != "" {
		if strings.HasPrefix(t, "/") || t == "*" {
			return t
		}
		// Absolute form, as sent to a proxy: sign the origin form.
		if u, err := url.Parse(t); err == nil {
			return u.RequestURI()
		}
	}
	if r.URL == nil {
		return "/"
	}
	return r.URL.RequestURI()
}

// splitTarget splits a request target into its path ("/" when empty) and
// raw query (without "?").
func splitTarget(target string) (path, query string) {
	path, query, _ = strings.Cut(target, "?")
	if path == "" {
		path = "/"
	}
	return path, query
}

// schemeOf returns the lower-case scheme the client used. Behind a
// TLS-terminating proxy the request itself cannot tell, hence the override.
func schemeOf(r *http.Request, override string) string {
	switch {
	case override != "":
		return strings.ToLower(override)
	case r.URL != nil && r.URL.Scheme != "":
		return strings.ToLower(r.URL.Scheme)
	case r.TLS != nil:
		return "https"
	default:
		return "http"
	}
}

// authorityOf returns the normalised authority (RFC 9421 section 2.2.3):
// lower case, without the scheme's default port.
func authorityOf(r *http.Request, scheme string) string {
	host := strings.ToLower(hostOf(r))
	if h, port, err := net.SplitHostPort(host); err == nil {
		if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
			if strings.Contains(h, ":") {
				return "[" + h + "]" // IPv6 literal
			}
			return h
		}
	}
	return host
}
