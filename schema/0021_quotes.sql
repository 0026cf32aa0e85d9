-- Quote posts, as Mastodon 4.5 makes them (FEP-044f): who may quote a post
-- (its quote policy), and the quotes themselves with their authorization.

-- A post's quote policy, as Mastodon's quote_approval_policy: who gets
-- their quotes approved automatically and who by hand, as lists of
-- 'public', 'followers', 'following' and 'unsupported_policy' (a remote
-- policy naming actors we cannot evaluate). No row: nobody but the author.
CREATE TABLE quote_policies (
    post_id   bigint PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    automatic text[] NOT NULL DEFAULT '{}',
    manual    text[] NOT NULL DEFAULT '{}'
);

-- One row per quoting post, ours or received. The id names the quote in
-- URIs: the QuoteAuthorization of a quoted post of ours is served at
-- <quoted author>/quote_authorizations/<id>. quotes follows the Stator
-- pattern (app/stator/doc.go): its graph verifies the authorization of
-- quotes other servers send.
CREATE TABLE quotes (
    id                 bigint PRIMARY KEY,
    post_id            bigint NOT NULL UNIQUE REFERENCES posts (id) ON DELETE CASCADE,
    author_id          bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    -- The quoted post as the quoting post names it, and once known here.
    quoted_uri         text NOT NULL,
    quoted_post_id     bigint REFERENCES posts (id) ON DELETE SET NULL,
    quoted_author_id   bigint REFERENCES identities (id) ON DELETE SET NULL,
    -- The QuoteAuthorization (ours or the quoted server's) once accepted,
    -- and the QuoteRequest that asked for it (ours or the quoter's).
    approval_uri       text,
    request_uri        text,
    created            timestamptz NOT NULL DEFAULT now(),
    updated            timestamptz NOT NULL DEFAULT now(),
    -- pending, verifying (an authorization to check), accepted, rejected,
    -- revoked, deleted.
    state              text NOT NULL DEFAULT 'pending',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
-- The accepted quotes of a post, newest first (GET .../quotes, counts).
CREATE INDEX quotes_of ON quotes (quoted_post_id, post_id DESC) WHERE state = 'accepted';
-- Finding a quote by what other servers send about it.
CREATE INDEX quotes_approval ON quotes (approval_uri) WHERE approval_uri IS NOT NULL;
CREATE INDEX quotes_request ON quotes (request_uri) WHERE request_uri IS NOT NULL;
CREATE INDEX quotes_stator_due ON quotes (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER quotes_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON quotes
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();
