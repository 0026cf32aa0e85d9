package oauth

import "net/http"

// corsAllowHeaders are the request headers web clients send to the API.
const corsAllowHeaders = "Authorization, Content-Type, Idempotency-Key"

// CORS lets web pages of any origin call h, as Mastodon's API allows: web
// clients (Elk, Phanpy) run on their own origins and authenticate with
// bearer tokens, never cookies, so no credentials are allowed. OPTIONS
// preflights are answered here with 204; h may be nil for routes that only
// need the preflight.
func CORS(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Access-Control-Allow-Origin", "*")
		hd.Set("Access-Control-Expose-Headers", "Link, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id, Idempotency-Key")
		if r.Method == http.MethodOptions || h == nil {
			allow := corsAllowHeaders
			// Mastodon allows any request header; echoing the asked ones
			// keeps clients that add their own working.
			if asked := r.Header.Get("Access-Control-Request-Headers"); asked != "" {
				allow += ", " + asked
			}
			hd.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
			hd.Set("Access-Control-Allow-Headers", allow)
			hd.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}
