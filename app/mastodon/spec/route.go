package spec

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// router finds the path template a concrete request path belongs to. The
// spec's server (https://{hostname}) has no path part, so paths are matched
// as they are; only the path is compared, never the host.
//
// kin-openapi's routers/gorillamux is not used: it matches the servers too,
// and with the spec's https://{hostname} it found no operation for any
// request tried, https://mastodon.example/... included. With the servers
// dropped it routes as this matcher does, except that it refuses a trailing
// slash (/api/v1/accounts/1/) and answers a wrong method with a bare
// "method not allowed", where ValidateResponse names the documented ones.
// The matcher also gives ServedByMux the template's segments.
type router struct {
	routes []*route
}

// route is one path template and its operations by method.
type route struct {
	template string
	segs     []string // "{id}" segments are parameters
	ops      map[string]*operation
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

// newRouter indexes the operations by path template. Templates that differ
// only in parameter names would match the same requests; doc.Validate has
// refused them already ("conflicting paths").
func newRouter(ops []*operation) *router {
	byTemplate := map[string]*route{}
	r := &router{}
	for _, op := range ops {
		rt := byTemplate[op.Path]
		if rt == nil {
			rt = &route{template: op.Path, segs: splitPath(op.Path), ops: map[string]*operation{}}
			byTemplate[op.Path] = rt
			r.routes = append(r.routes, rt)
		}
		rt.ops[op.Method] = op
	}
	sort.Slice(r.routes, func(i, j int) bool { return r.routes[i].template < r.routes[j].template })
	return r
}

// splitPath splits "/api/v1/accounts/1" into its segments, ignoring one
// trailing slash.
func splitPath(p string) []string {
	p = strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// requestPath reduces what callers pass ("/api/v1/x?y=1", or a whole URL
// such as https://mastodon.example/api/v1/x) to the path.
func requestPath(p string) string {
	if u, err := url.Parse(p); err == nil && u.Path != "" {
		return u.Path
	}
	return p
}

// match returns the route for a concrete path, or nil. A literal segment
// beats a parameter, as Mastodon's router and Go's ServeMux both rule:
// /api/v1/accounts/relationships is not /api/v1/accounts/{id}.
func (r *router) match(path string) *route {
	segs := splitPath(requestPath(path))
	var best *route
	for _, rt := range r.routes {
		if rt.matches(segs) && (best == nil || rt.moreSpecific(best)) {
			best = rt
		}
	}
	return best
}

func (rt *route) matches(segs []string) bool {
	if len(segs) != len(rt.segs) {
		return false
	}
	for i, seg := range rt.segs {
		if isParam(seg) {
			if segs[i] == "" {
				return false
			}
		} else if seg != segs[i] {
			return false
		}
	}
	return true
}

// moreSpecific reports whether rt has a literal where other first has a
// parameter; both are assumed to match the same path.
func (rt *route) moreSpecific(other *route) bool {
	for i := range rt.segs {
		a, b := isParam(rt.segs[i]), isParam(other.segs[i])
		if a != b {
			return !a
		}
	}
	return false
}

// find returns the operation for a request, or an error wrapping
// ErrUnknownOperation.
func (s *Spec) find(method, path string) (*operation, error) {
	rt := s.router.match(path)
	if rt == nil {
		return nil, fmt.Errorf("spec: %w: no path template matches %s", ErrUnknownOperation, requestPath(path))
	}
	op := rt.ops[strings.ToUpper(method)]
	if op == nil {
		methods := make([]string, 0, len(rt.ops))
		for m := range rt.ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		return nil, fmt.Errorf("spec: %w: %s %s is documented only for %s",
			ErrUnknownOperation, strings.ToUpper(method), rt.template, strings.Join(methods, ", "))
	}
	return op, nil
}
