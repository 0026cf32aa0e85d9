package spec

import (
	_ "embed"
	"fmt"
	"strings"
	"sync/atomic"
)

// allowlistText is allowlist.txt: the known defects of the spec, one a line.
//
//go:embed allowlist.txt
var allowlistText string

// Entry is one line of the allowlist:
//
//	<METHOD> <path template> <pointer pattern> # reason
//
// METHOD and the template may be "*" for any. The pointer pattern is a JSON
// Pointer into the response body whose segments may be "*" (any one
// segment, such as an array index) or "**" (any number of segments,
// including none). A problem whose operation and pointer match is dropped.
// The reason is required: an entry nobody can explain should not be there.
type Entry struct {
	Method   string
	Template string
	Pointer  string
	Reason   string
	Line     int // in allowlist.txt
}

// String renders e as its allowlist line.
func (e Entry) String() string {
	return fmt.Sprintf("%s %s %s # %s", e.Method, e.Template, e.Pointer, e.Reason)
}

// Allowlist holds the entries and counts the problems each one dropped.
type Allowlist struct {
	entries []Entry
	hits    []atomic.Int64
}

// httpMethods are the methods an entry may name.
var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

// parseAllowlist reads the allowlist and checks each entry against the spec,
// so that an entry for an operation the spec no longer has is an error
// rather than dead weight.
func parseAllowlist(text string, s *Spec) (*Allowlist, error) {
	a := &Allowlist{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := parseEntry(line, i+1, s)
		if err != nil {
			return nil, fmt.Errorf("allowlist.txt:%d: %w", i+1, err)
		}
		a.entries = append(a.entries, e)
	}
	a.hits = make([]atomic.Int64, len(a.entries))
	return a, nil
}

func parseEntry(line string, n int, s *Spec) (Entry, error) {
	rule, reason, found := strings.Cut(line, " #")
	reason = strings.TrimSpace(reason)
	if !found || reason == "" {
		return Entry{}, fmt.Errorf("%q has no \"# reason\"", line)
	}
	f := strings.Fields(rule)
	if len(f) != 3 {
		return Entry{}, fmt.Errorf("%q: want <METHOD> <path template> <pointer pattern> # reason", rule)
	}
	e := Entry{Method: f[0], Template: f[1], Pointer: f[2], Reason: reason, Line: n}
	if e.Method != "*" && (!httpMethods[strings.ToLower(e.Method)] || e.Method != strings.ToUpper(e.Method)) {
		return Entry{}, fmt.Errorf("method %q: want an upper-case HTTP method or *", e.Method)
	}
	if !strings.HasPrefix(e.Pointer, "/") {
		return Entry{}, fmt.Errorf("pointer pattern %q must start with /", e.Pointer)
	}
	if e.Template == "*" {
		return e, nil
	}
	for _, op := range s.ops {
		if op.Path == e.Template && (e.Method == "*" || e.Method == op.Method) {
			return e, nil
		}
	}
	return Entry{}, fmt.Errorf("the spec has no operation %s %s", e.Method, e.Template)
}

// Entries returns the entries in file order.
func (a *Allowlist) Entries() []Entry {
	return append([]Entry(nil), a.entries...)
}

// Unused returns the entries that have dropped no problem so far in this
// process: after a run that exercised their operations, candidates for
// removal.
func (a *Allowlist) Unused() []Entry {
	var out []Entry
	for i, e := range a.entries {
		if a.hits[i].Load() == 0 {
			out = append(out, e)
		}
	}
	return out
}

// filter returns the problems no entry matches, counting the hits.
func (a *Allowlist) filter(op *operation, problems []Problem) []Problem {
	var kept []Problem
	for _, p := range problems {
		dropped := false
		for i, e := range a.entries {
			if e.matches(op, p) {
				a.hits[i].Add(1)
				dropped = true
				break
			}
		}
		if !dropped {
			kept = append(kept, p)
		}
	}
	return kept
}

// filterAt is filter for the problems of a value at pointer prefix (an
// alternative of oneOf or anyOf, validated on its own): entries are
// matched against the whole pointer; the problems kept keep theirs.
func (a *Allowlist) filterAt(op *operation, prefix string, problems []Problem) []Problem {
	var kept []Problem
	for _, p := range problems {
		whole := p
		whole.Pointer = prefix + p.Pointer
		if len(a.filter(op, []Problem{whole})) > 0 {
			kept = append(kept, p)
		}
	}
	return kept
}

func (e Entry) matches(op *operation, p Problem) bool {
	if e.Method != "*" && e.Method != op.Method {
		return false
	}
	if e.Template != "*" && e.Template != op.Path {
		return false
	}
	if p.Pointer == "" {
		return false // problems with the body as a whole are never allowed
	}
	return matchSegments(strings.Split(e.Pointer[1:], "/"), strings.Split(p.Pointer[1:], "/"))
}

// matchSegments matches pointer segments against a pattern with "*" and "**".
func matchSegments(pattern, segs []string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case "**":
			for i := 0; i <= len(segs); i++ {
				if matchSegments(pattern[1:], segs[i:]) {
					return true
				}
			}
			return false
		case "*":
			if len(segs) == 0 {
				return false
			}
		default:
			if len(segs) == 0 || segs[0] != pattern[0] {
				return false
			}
		}
		pattern, segs = pattern[1:], segs[1:]
	}
	return len(segs) == 0
}
