package spec

import (
	"net/http"
	"strings"
)

// ServedByMux returns a served function for Coverage backed by a
// http.ServeMux. Asking only "does mux.Handler match something other than
// the catch-all?" over-counts: the pattern GET /api/v1/accounts/{id} also
// matches /api/v1/accounts/relationships, which Mastodon documents as its
// own operation. So an operation counts as served only when the pattern
// the mux picks has the operation's shape: a wildcard where the template
// has a parameter and the same literal elsewhere. Subtree patterns
// ("/api/"), {name...} and the catch-all "/" are never counted.
func (s *Spec) ServedByMux(mux *http.ServeMux) func(method, path string) bool {
	return func(method, path string) bool {
		r, err := http.NewRequest(method, path, nil)
		if err != nil {
			return false
		}
		_, pattern := mux.Handler(r)
		rt := s.router.match(path)
		if pattern == "" || rt == nil {
			return false
		}
		return sameShape(patternPath(pattern), rt.segs)
	}
}

// patternPath strips the method and host from a ServeMux pattern
// ("GET example.com/api/v1/x/{id}" -> "/api/v1/x/{id}").
func patternPath(pattern string) string {
	if i := strings.IndexByte(pattern, '/'); i >= 0 {
		return pattern[i:]
	}
	return ""
}

func sameShape(patternPath string, template []string) bool {
	if patternPath == "" || strings.HasSuffix(patternPath, "/") {
		return false // the catch-all "/" or a subtree: not a route of its own
	}
	segs := splitPath(strings.TrimSuffix(patternPath, "/{$}"))
	if len(segs) != len(template) {
		return false
	}
	for i, seg := range segs {
		wildcard := isParam(seg)
		if wildcard && strings.HasSuffix(seg, "...}") {
			return false
		}
		if wildcard != isParam(template[i]) || !wildcard && seg != template[i] {
			return false
		}
	}
	return true
}
