package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// proxyHeaders are set by reverse proxies when relaying a request. A
// request carrying any of them reached us through a proxy, so its loopback
// RemoteAddr says nothing about the real client.
var proxyHeaders = []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"}

// guardMetrics restricts access to next (the /metrics handler). With a
// token, the request must carry "Authorization: Bearer <token>"; otherwise
// 401. Without one, only direct loopback requests are served; others get
// 403, since metrics reveal traffic patterns and internals.
func guardMetrics(token string, next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if token != "" {
			got, ok := bearerToken(r)
			// Comparing digests keeps the comparison constant-time even in
			// the token's length, which ConstantTimeCompare alone reveals.
			gotSum := sha256.Sum256([]byte(got))
			if !ok || subtle.ConstantTimeCompare(gotSum[:], want[:]) != 1 {
				w.Header().Set("WWW-Authenticate", "Bearer")
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
				return
			}
		} else if !isDirectLoopback(r) {
			writeJSON(w, http.StatusForbidden, map[string]string{"error": "forbidden"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken extracts the token of an "Authorization: Bearer <token>"
// header. The scheme is case-insensitive (RFC 9110, section 11.1).
func bearerToken(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// isDirectLoopback reports whether r comes from a loopback address
// (127.0.0.0/8 or ::1) and was not relayed by a reverse proxy. A header
// that is present but empty still counts as relayed.
func isDirectLoopback(r *http.Request) bool {
	for _, h := range proxyHeaders {
		if _, present := r.Header[http.CanonicalHeaderKey(h)]; present {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	// IsLoopback also accepts an IPv4-mapped ::ffff:127.0.0.1.
	return addr.IsLoopback()
}
