-- TLS state shared by every node when server.tls.storage is "postgres"
-- (app/certs): certmagic's key-value store and its cluster-wide locks, so
-- that one node obtains a certificate and all the others serve it.

-- certmagic's files: keys are "/"-separated paths such as
-- certificates/<ca>/<domain>/<domain>.crt; "directories" exist only as
-- prefixes of keys.
CREATE TABLE certmagic_data (
    key      text PRIMARY KEY,
    value    bytea NOT NULL,
    modified timestamptz NOT NULL DEFAULT now()
);

-- Named locks around certificate issuance and renewal. A lock whose holder
-- stopped refreshing it (a crashed node) expires and may be taken over.
CREATE TABLE certmagic_locks (
    name    text PRIMARY KEY,
    expires timestamptz NOT NULL
);
