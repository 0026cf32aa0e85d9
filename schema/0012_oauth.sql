-- OAuth 2 (app/oauth): client applications, authorization codes and access
-- tokens, the web sessions of logged-in users, and the counters that limit
-- login attempts. Every secret (client secret, code, token, session) is
-- stored as its SHA-256 only: a copy of the database grants nothing.

-- Applications registered through POST /api/v1/apps (or by a user later).
CREATE TABLE oauth_apps (
    id                 bigint PRIMARY KEY,
    name               text NOT NULL,
    website            text NOT NULL DEFAULT '',
    redirect_uris      text[] NOT NULL,
    scopes             text[] NOT NULL,
    client_id          text NOT NULL UNIQUE,
    client_secret_hash bytea NOT NULL,
    -- The user who registered the app in the settings; NULL for apps
    -- registered anonymously through the API (nearly all of them).
    owner_id           bigint REFERENCES users (id) ON DELETE CASCADE,
    created            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oauth_apps_owner ON oauth_apps (owner_id) WHERE owner_id IS NOT NULL;

-- Codes issued by /oauth/authorize, exchanged once at /oauth/token. A used
-- code is kept until it expires, so that a replay can be recognised and the
-- tokens issued from it revoked (RFC 6749 section 4.1.2).
CREATE TABLE oauth_authorization_codes (
    id                    bigint PRIMARY KEY,
    code_hash             bytea NOT NULL UNIQUE,
    app_id                bigint NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id               bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    identity_id           bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    scopes                text[] NOT NULL,
    redirect_uri          text NOT NULL,
    -- PKCE (RFC 7636); empty when the client sent no challenge.
    code_challenge        text NOT NULL DEFAULT '',
    code_challenge_method text NOT NULL DEFAULT '',
    created               timestamptz NOT NULL DEFAULT now(),
    expires               timestamptz NOT NULL,
    used                  timestamptz
);
CREATE INDEX oauth_authorization_codes_expires ON oauth_authorization_codes (expires);
CREATE INDEX oauth_authorization_codes_app ON oauth_authorization_codes (app_id);
CREATE INDEX oauth_authorization_codes_user ON oauth_authorization_codes (user_id);
CREATE INDEX oauth_authorization_codes_identity ON oauth_authorization_codes (identity_id);

-- Access tokens. Like Mastodon's they do not expire; they end when revoked.
-- Tokens of the client_credentials grant act for the app alone (no user,
-- no identity).
CREATE TABLE oauth_tokens (
    id                    bigint PRIMARY KEY,
    token_hash            bytea NOT NULL UNIQUE,
    app_id                bigint NOT NULL REFERENCES oauth_apps (id) ON DELETE CASCADE,
    user_id               bigint REFERENCES users (id) ON DELETE CASCADE,
    identity_id           bigint REFERENCES identities (id) ON DELETE CASCADE,
    authorization_code_id bigint REFERENCES oauth_authorization_codes (id) ON DELETE SET NULL,
    scopes                text[] NOT NULL,
    created               timestamptz NOT NULL DEFAULT now(),
    last_used             timestamptz,
    revoked               timestamptz
);
CREATE INDEX oauth_tokens_app ON oauth_tokens (app_id);
CREATE INDEX oauth_tokens_user ON oauth_tokens (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX oauth_tokens_identity ON oauth_tokens (identity_id) WHERE identity_id IS NOT NULL;
CREATE INDEX oauth_tokens_code ON oauth_tokens (authorization_code_id) WHERE authorization_code_id IS NOT NULL;

-- Browser sessions of logged-in users (the cookie holds the token).
CREATE TABLE web_sessions (
    id         bigint PRIMARY KEY,
    token_hash bytea NOT NULL UNIQUE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created    timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    expires    timestamptz NOT NULL,
    ip         text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expires ON web_sessions (expires);

-- Failed logins per key ("email:..." or "ip:...") in fixed time windows,
-- kept in PostgreSQL so that every web process shares the same limit.
CREATE TABLE login_attempts (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX login_attempts_window ON login_attempts (window_start);
