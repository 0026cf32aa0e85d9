-- Stator: the engine's shared pieces. Every stateful table calls
-- stator_notify() from a trigger (see app/stator/doc.go for the pattern), so
-- an idle runner wakes within milliseconds of a row becoming due. Identical
-- notifications within one transaction are folded into one by PostgreSQL, so
-- a bulk insert wakes runners once.
CREATE FUNCTION stator_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stator', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

-- Rows by state and the age of the oldest due row, per graph, written about
-- once a minute by one runner (for the admin pages and /metrics).
CREATE TABLE stator_stats (
    graph              text NOT NULL,
    state              text NOT NULL,
    rows               bigint NOT NULL,
    due                bigint NOT NULL,
    oldest_due_seconds double precision NOT NULL DEFAULT 0,
    collected          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (graph, state)
);

-- Handled and failed attempts per graph, state and minute, summed over all
-- runner processes.
CREATE TABLE stator_throughput (
    graph   text NOT NULL,
    state   text NOT NULL,
    minute  timestamptz NOT NULL,
    handled bigint NOT NULL DEFAULT 0,
    failed  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (graph, state, minute)
);
