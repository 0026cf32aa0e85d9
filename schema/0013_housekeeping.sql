-- Housekeeping: one Stator row whose handler runs periodic clean-ups
-- (expired OAuth codes and sessions, old login counters), so that any one
-- of several processes does it, once.
CREATE TABLE housekeeping (
    id                 bigint PRIMARY KEY CHECK (id = 1),
    state              text NOT NULL DEFAULT 'idle',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
INSERT INTO housekeeping (id) VALUES (1);
CREATE INDEX housekeeping_stator_due ON housekeeping (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER housekeeping_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON housekeeping
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- The bio of a local identity as its owner typed it (the API's
-- source.note); summary holds it rendered.
ALTER TABLE identities ADD COLUMN summary_source text NOT NULL DEFAULT '';

-- Our custom emoji may belong to one of our domains (listed there only);
-- NULL: offered on every local domain.
ALTER TABLE emoji ADD COLUMN local_domain text REFERENCES domains (domain) ON DELETE CASCADE;
ALTER TABLE emoji ADD COLUMN category text NOT NULL DEFAULT '';
