-- Probes: rows that exist only to measure the Stator fleet end to end
-- (`pukeko stator probe`): how fast the running processes pick rows up and
-- move them through two handled states, and which process handled each.
CREATE TABLE stator_probes (
    id                 bigint PRIMARY KEY,
    run                text NOT NULL,
    work_ms            integer NOT NULL DEFAULT 0,
    created            timestamptz NOT NULL DEFAULT clock_timestamp(),
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
CREATE INDEX stator_probes_stator_due ON stator_probes (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE INDEX stator_probes_run ON stator_probes (run);
CREATE TRIGGER stator_probes_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON stator_probes
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- One row per handler call: which process handled which probe in which
-- state, and when.
CREATE TABLE stator_probe_runs (
    probe_id bigint NOT NULL REFERENCES stator_probes (id) ON DELETE CASCADE,
    state    text NOT NULL,
    pid      integer NOT NULL,
    host     text NOT NULL,
    started  timestamptz NOT NULL,
    finished timestamptz NOT NULL
);
CREATE INDEX stator_probe_runs_probe ON stator_probe_runs (probe_id);
