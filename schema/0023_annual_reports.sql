-- Annual reports ("Wrapstodon") and context refreshes: two kinds of work
-- the client API starts and then lets apps follow as an AsyncRefresh
-- (GET /api/v1_alpha/async_refreshes/:id). Both tables follow the Stator
-- pattern (app/stator/doc.go).

-- A local identity's year summed up: asked for with POST
-- /api/v1/annual_reports/:year/generate, computed by the annual_reports
-- graph (generating -> available), kept until the identity goes.
CREATE TABLE annual_reports (
    id                 bigint PRIMARY KEY,
    identity_id        bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    year               integer NOT NULL,
    -- How to read data (Mastodon's schema_version; 2 since Mastodon 4.6).
    schema_version     integer NOT NULL DEFAULT 2,
    -- The figures, NULL until generated.
    data               jsonb,
    -- The random part of the report's share URL.
    share_key          text NOT NULL,
    -- When the owner marked it read; unread reports are the ones listed.
    viewed             timestamptz,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'generating',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text,
    UNIQUE (identity_id, year)
);
CREATE INDEX annual_reports_stator_due ON annual_reports (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER annual_reports_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON annual_reports
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- The fetch of a remote post's replies from its server, started when a
-- logged-in user opens the thread (GET /api/v1/statuses/:id/context), by
-- the context_refreshes graph (fetching -> finished). A finished row says
-- when the replies were last fetched, so that they are not fetched again
-- too soon; it goes an hour after finishing.
CREATE TABLE context_refreshes (
    id                 bigint PRIMARY KEY,
    post_id            bigint NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    -- Posts this refresh has stored so far.
    result_count       integer NOT NULL DEFAULT 0,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'fetching',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
CREATE INDEX context_refreshes_stator_due ON context_refreshes (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER context_refreshes_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON context_refreshes
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();
