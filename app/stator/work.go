package stator

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// work decides and runs what a claimed row needs, and hands the outcome to
// the committer.
func (gr *graphRun) work(it claimed) {
	defer gr.running.Done()
	defer gr.releaseSlots()
	o, ran := gr.decide(it)
	gr.r.metrics.observe(gr.g.name, it.State, o.failed, ran)
	gr.outcomes <- o
}

func (gr *graphRun) decide(it claimed) (outcome, bool) {
	st := gr.g.states[it.State]
	o := outcome{id: it.ID, lease: it.lease, from: it.State, state: it.State, attempts: it.Attempts}
	age := it.dbNow.Sub(it.Changed)
	switch {
	case st.timeoutTo != "" && age >= st.timeoutAfter:
		msg := fmt.Sprintf("timed out after %s in state %s", st.timeoutAfter, it.State)
		gr.moveTo(&o, st.timeoutTo)
		o.errText = &msg // kept on the row: why it ended up here
		return o, false
	case st.handler == nil && st.deleteAfter > 0 && age >= st.deleteAfter:
		o.delete = true
		return o, false
	case st.handler == nil:
		// A row inserted or moved here without a schedule: set it.
		o.delay = st.entryDelay(it.Changed, it.dbNow)
		return o, false
	}

	start := time.Now()
	next, err := gr.call(st.handler, it)
	gr.r.metrics.duration(gr.g.name, it.State, time.Since(start))
	switch {
	case err != nil && gr.handlerCtx.Err() != nil && errors.Is(err, context.Canceled):
		// Cancelled by shutdown: not the row's fault, no attempt counted.
		zero := time.Duration(0)
		o.delay = &zero
	case err != nil:
		if d, ok := asDefer(err); ok {
			o.delay = &d
			break
		}
		gr.fail(&o, st, it, err)
	case next == "":
		// Not ready yet: try again later, backing off like a failure.
		o.attempts++
		d := gr.capToDeadline(st, it, st.backoff.Delay(o.attempts))
		o.delay = &d
	case !st.next[next]:
		gr.fail(&o, st, it, fmt.Errorf("handler returned undeclared transition %s -> %s", it.State, next))
	default:
		gr.moveTo(&o, next)
	}
	return o, true
}

// call runs a handler, turning a panic into an error with its stack.
func (gr *graphRun) call(h Handler, it claimed) (next string, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, debug.Stack())
			gr.r.opts.Logger.Error("stator: handler panicked", "graph", gr.g.name, "state", it.State, "id", it.ID, "panic", v)
		}
	}()
	return h(gr.handlerCtx, it.Item)
}

func (gr *graphRun) fail(o *outcome, st *State, it claimed, err error) {
	o.attempts++
	o.failed = true
	o.errText = errorText(err)
	d := gr.capToDeadline(st, it, st.backoff.Delay(o.attempts))
	o.delay = &d
	gr.r.opts.Logger.Debug("stator: attempt failed", "graph", gr.g.name, "state", it.State, "id", it.ID,
		"attempts", o.attempts, "retry_in", d.Round(time.Millisecond), "error", err)
}

// capToDeadline never schedules a retry past the state's time-out, so a
// row gives up at its deadline rather than at the next retry after it.
func (gr *graphRun) capToDeadline(st *State, it claimed, d time.Duration) time.Duration {
	if st.timeoutTo == "" {
		return d
	}
	// Elapsed since the claim, so the deadline is measured on the
	// database's clock from its reading at claim time.
	left := it.Changed.Add(st.timeoutAfter).Sub(it.dbNow) - gr.sinceClaim(it)
	return max(min(d, left), 0)
}

func (gr *graphRun) sinceClaim(it claimed) time.Duration {
	return time.Since(it.claimedAt)
}

func (gr *graphRun) moveTo(o *outcome, state string) {
	o.state = state
	o.changed = true
	o.attempts = 0
	o.errText = nil
	now := time.Now()
	o.delay = gr.g.states[state].entryDelay(now, now)
}
