package stator

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"time"
)

// Item is the row a handler works on.
type Item struct {
	ID       int64
	State    string
	Attempts int       // failed attempts in this state so far
	Changed  time.Time // when the row entered this state
}

// Handler moves a row forward. It returns the next state (one declared with
// To), or "" to stay and be tried again after the state's backoff, or an
// error, which is recorded on the row and retried after the backoff. Return
// Defer(d) to come back after d without counting a failed attempt.
type Handler func(ctx context.Context, it Item) (string, error)

// State is one state of a graph, configured with chained calls.
type State struct {
	name         string
	handler      Handler
	next         map[string]bool
	backoff      Backoff
	timeoutTo    string
	timeoutAfter time.Duration
	deleteAfter  time.Duration
	terminal     bool
	delayed      bool
}

// Handle gives the state a handler and declares the states it may move to.
func (s *State) Handle(h Handler, to ...string) *State {
	s.handler = h
	for _, t := range to {
		s.next[t] = true
	}
	return s
}

// Retry sets the backoff of failed attempts (DefaultBackoff otherwise).
func (s *State) Retry(b Backoff) *State { s.backoff = b; return s }

// TimesOutTo moves a row that has been in this state longer than age to
// state, whether or not the state has a handler: the deadline after which
// retrying stops.
func (s *State) TimesOutTo(state string, age time.Duration) *State {
	s.timeoutTo, s.timeoutAfter = state, age
	return s
}

// DeleteAfter deletes rows that have been in this (handler-less) state for
// age.
func (s *State) DeleteAfter(age time.Duration) *State { s.deleteAfter = age; return s }

// Terminal marks a state that rows never leave.
func (s *State) Terminal() *State { s.terminal = true; return s }

// NotImmediately makes the first attempt in this state wait one backoff
// base interval instead of happening at once.
func (s *State) NotImmediately() *State { s.delayed = true; return s }

// Graph is a state machine over one table.
type Graph struct {
	name        string
	table       string
	states      map[string]*State
	concurrency int
}

// NewGraph declares a graph named name running on table.
func NewGraph(name, table string) *Graph {
	return &Graph{name: name, table: table, states: map[string]*State{}}
}

// Name returns the graph's name.
func (g *Graph) Name() string { return g.name }

// Table returns the table the graph runs on.
func (g *Graph) Table() string { return g.table }

// Concurrency limits how many of this graph's handlers run at once in one
// process (the global stator.concurrency applies too).
func (g *Graph) Concurrency(n int) *Graph { g.concurrency = n; return g }

// State declares a state, or returns it to configure it further.
func (g *Graph) State(name string) *State {
	if s, ok := g.states[name]; ok {
		return s
	}
	s := &State{name: name, next: map[string]bool{}, backoff: DefaultBackoff}
	g.states[name] = s
	return s
}

// StateNames lists the declared states, sorted.
func (g *Graph) StateNames() []string {
	names := make([]string, 0, len(g.states))
	for n := range g.states {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Validate checks that the declaration is consistent: every target state is
// declared, handled states lead somewhere, terminal states stay put.
func (g *Graph) Validate() error {
	var errs []error
	if !identifier.MatchString(g.name) || !identifier.MatchString(g.table) {
		errs = append(errs, fmt.Errorf("graph and table names must be lower-case identifiers: %q, %q", g.name, g.table))
	}
	if len(g.states) == 0 {
		errs = append(errs, errors.New("no states declared"))
	}
	for _, name := range g.StateNames() {
		s := g.states[name]
		for t := range s.next {
			if _, ok := g.states[t]; !ok {
				errs = append(errs, fmt.Errorf("state %s leads to undeclared state %s", name, t))
			}
		}
		if s.timeoutTo != "" {
			if _, ok := g.states[s.timeoutTo]; !ok {
				errs = append(errs, fmt.Errorf("state %s times out to undeclared state %s", name, s.timeoutTo))
			}
			if s.timeoutAfter <= 0 {
				errs = append(errs, fmt.Errorf("state %s has a time-out without a positive age", name))
			}
		}
		if s.handler != nil && len(s.next) == 0 {
			errs = append(errs, fmt.Errorf("state %s has a handler but declares no next state", name))
		}
		if s.terminal && (s.handler != nil || s.timeoutTo != "") {
			errs = append(errs, fmt.Errorf("terminal state %s cannot have a handler or a time-out", name))
		}
		if s.deleteAfter > 0 && s.handler != nil {
			errs = append(errs, fmt.Errorf("state %s has a handler and DeleteAfter; deletion is for finished rows", name))
		}
		if s.handler != nil && s.backoff.Base <= 0 {
			errs = append(errs, fmt.Errorf("state %s: backoff base must be positive", name))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("stator: graph %s: %w", g.name, errors.Join(errs...))
	}
	return nil
}

// entryDelay says when the engine should first look at a row that entered
// state s at entered, seen at now: nil for never (nothing will happen to it).
func (s *State) entryDelay(entered, now time.Time) *time.Duration {
	var at time.Time
	set := false
	earliest := func(t time.Time) {
		if !set || t.Before(at) {
			at, set = t, true
		}
	}
	switch {
	case s.handler != nil && s.delayed:
		earliest(entered.Add(s.backoff.Base))
	case s.handler != nil:
		earliest(entered)
	}
	if s.timeoutTo != "" {
		earliest(entered.Add(s.timeoutAfter))
	}
	if s.deleteAfter > 0 {
		earliest(entered.Add(s.deleteAfter))
	}
	if !set {
		return nil
	}
	d := max(at.Sub(now), 0)
	return &d
}
