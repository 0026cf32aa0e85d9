-- Accounts that log in. Identities (username@domain) arrive with federation
-- and link to users many-to-many; this table only knows credentials and roles.
CREATE TABLE users (
    id            bigint PRIMARY KEY,
    email         text NOT NULL,
    password_hash text NOT NULL,
    admin         boolean NOT NULL DEFAULT false,
    moderator     boolean NOT NULL DEFAULT false,
    banned        boolean NOT NULL DEFAULT false,
    created       timestamptz NOT NULL DEFAULT now(),
    updated       timestamptz NOT NULL DEFAULT now()
);

-- Emails compare case-insensitively, as people type them.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
