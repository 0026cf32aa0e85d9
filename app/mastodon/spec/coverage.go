package spec

import (
	"sort"
	"strings"
)

// Operation is one operation of the spec.
type Operation struct {
	Method      string   // "GET"
	Path        string   // path template, "/api/v1/accounts/{id}"
	OperationID string   // "getAccount"
	Summary     string   // "Get account"
	Tags        []string // "accounts"
	Admin       bool     // under /api/v1/admin or /api/v2/admin
}

func (o Operation) key() string { return o.Method + " " + o.Path }

func (o Operation) less(p Operation) bool {
	if o.Path != p.Path {
		return o.Path < p.Path
	}
	return o.Method < p.Method
}

// tag is the tag an operation is grouped under in reports: its first.
func (o Operation) tag() string {
	if len(o.Tags) == 0 {
		return "(untagged)"
	}
	return o.Tags[0]
}

func isAdmin(path string) bool {
	for _, prefix := range []string{"/api/v1/admin", "/api/v2/admin"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// Operations returns every operation of the spec, ordered by path then
// method.
func (s *Spec) Operations() []Operation {
	out := make([]Operation, len(s.ops))
	for i, op := range s.ops {
		out[i] = op.Operation
	}
	return out
}

// paramSamples are the values ConcretePath puts in place of path
// parameters that are not numeric IDs. Every other parameter ({id},
// {account_id}, {group_key}...) becomes "1".
var paramSamples = map[string]string{
	"hashtag": "tag", "name": "tag", "tag": "tag",
	"acct": "user@host",
	"year": "2025",
	"date": "2025-01-01",
}

// ConcretePath makes a request path from a template by giving each
// parameter a plausible value: /api/v1/accounts/{id}/follow becomes
// /api/v1/accounts/1/follow, /api/v1/timelines/tag/{hashtag} becomes
// /api/v1/timelines/tag/tag.
func ConcretePath(template string) string {
	segs := strings.Split(template, "/")
	for i, seg := range segs {
		if isParam(seg) {
			if v, ok := paramSamples[seg[1:len(seg)-1]]; ok {
				segs[i] = v
			} else {
				segs[i] = "1"
			}
		}
	}
	return strings.Join(segs, "/")
}

// Report is the coverage of the spec by a server.
type Report struct {
	Version        string // spec version, "4.7.0"
	Total          int    // operations in the spec
	Served         int    // operations the server routes
	TotalNonAdmin  int
	ServedNonAdmin int
	Exercised      int           // operations a Middleware or RoundTripper saw in this process
	Rows           []CoverageRow // every operation, in Operations order
}

// CoverageRow is one operation in a Report.
type CoverageRow struct {
	Operation
	Concrete  string // the path passed to served
	Served    bool
	Exercised bool
}

// Coverage asks served, for each operation, whether the server handles its
// method on a concrete path made by ConcretePath. A caller backed by
// http.ServeMux answers with mux.Handler(r): served when the pattern
// matched is not the catch-all. Operations recorded as exercised by
// Middleware or RoundTripper in this process are marked too.
func (s *Spec) Coverage(served func(method, path string) bool) Report {
	exercised := s.exercisedKeys()
	r := Report{Version: s.version}
	for _, op := range s.ops {
		row := CoverageRow{Operation: op.Operation, Concrete: ConcretePath(op.Path)}
		row.Served = served(op.Method, row.Concrete)
		row.Exercised = exercised[op.key()] > 0
		r.Total++
		if !op.Admin {
			r.TotalNonAdmin++
		}
		if row.Served {
			r.Served++
			if !op.Admin {
				r.ServedNonAdmin++
			}
		}
		if row.Exercised {
			r.Exercised++
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

// ServedOperations lists the operations the server routes.
func (r Report) ServedOperations() []Operation { return r.filter(true) }

// MissingOperations lists the operations the server does not route.
func (r Report) MissingOperations() []Operation { return r.filter(false) }

func (r Report) filter(served bool) []Operation {
	var out []Operation
	for _, row := range r.Rows {
		if row.Served == served {
			out = append(out, row.Operation)
		}
	}
	return out
}

// recordExercised counts a response seen for op.
func (s *Spec) recordExercised(op *operation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exercised[op.key()]++
}

// recordUndocumented counts a response to a request the spec lacks.
func (s *Spec) recordUndocumented(request string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.undocumented[request]++
}

func (s *Spec) exercisedKeys() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.exercised))
	for k, v := range s.exercised {
		out[k] = v
	}
	return out
}

// Exercised returns the operations Middleware or RoundTripper has seen a
// response for in this process, in Operations order.
func (s *Spec) Exercised() []Operation {
	seen := s.exercisedKeys()
	var out []Operation
	for _, op := range s.ops {
		if seen[op.key()] > 0 {
			out = append(out, op.Operation)
		}
	}
	return out
}

// Undocumented returns the requests ("GET /api/v1/x/1") under /api/ that
// Middleware or RoundTripper saw and the spec does not document, sorted.
func (s *Spec) Undocumented() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.undocumented))
	for k := range s.undocumented {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
