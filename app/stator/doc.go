// Package stator runs Pukeko's background work as durable state machines
// kept in PostgreSQL. Every stateful row carries its state; a graph declared
// in Go says which states have a handler, where a handler may move a row,
// how failures are retried, when a row gives up and when it is deleted. The
// runner keeps claiming rows that are due and moving them forward, so work
// survives crashes, restarts and any number of processes sharing one
// database.
//
// # The table pattern
//
// A table a graph runs on has a bigint id (a snowflake, or an identity
// column where the table has another key) and these columns, an index and
// a trigger; copy them:
//
//	CREATE TABLE things (
//	    id                 bigint PRIMARY KEY,
//	    -- ... the table's own columns ...
//	    state              text NOT NULL DEFAULT 'new',
//	    state_changed      timestamptz NOT NULL DEFAULT now(),
//	    state_attempts     integer NOT NULL DEFAULT 0,
//	    state_next_attempt timestamptz DEFAULT now(),
//	    state_locked_until timestamptz,
//	    state_error        text
//	);
//	-- Only rows that need attention are in the index (a handled state, a
//	-- pending time-out or deletion): idle cost does not grow with the rows
//	-- that are done.
//	CREATE INDEX things_stator_due ON things (state_next_attempt)
//	    WHERE state_next_attempt IS NOT NULL;
//	CREATE TRIGGER things_stator_notify
//	    AFTER INSERT OR UPDATE OF state_next_attempt ON things
//	    FOR EACH ROW WHEN (NEW.state_next_attempt <= now())
//	    EXECUTE FUNCTION stator_notify();
//
// state_next_attempt is when the engine should next look at the row, or NULL
// when nothing will ever happen to it again (a terminal state without
// deletion): that keeps finished rows out of the index. A new row is due at
// once (the default); the engine works out the right schedule for whatever
// state it was inserted in. Code outside the engine that moves a row to
// another state uses Graph.Move, which sets the schedule and wakes runners.
//
// # Claiming
//
// A runner claims due rows in batches with SELECT ... FOR UPDATE SKIP LOCKED
// and stamps each with a lease (state_locked_until, also written to
// state_next_attempt so an expired lease simply makes the row due again).
// Running handlers renew their leases; an outcome is written only while the
// lease is still the one the runner holds, so a row whose lease expired and
// was claimed elsewhere is never written twice.
//
// Handlers must be idempotent: after a crash a row is handled again.
package stator
