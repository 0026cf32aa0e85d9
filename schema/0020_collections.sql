-- Collections (Mastodon 4.6's featured collections, FEP-7aa9): named sets
-- of accounts an identity recommends others to follow.

CREATE TABLE collections (
    id           bigint PRIMARY KEY,
    -- The curator.
    identity_id  bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    -- The ActivityPub id and the page for browsers (ours serve both).
    uri          text NOT NULL UNIQUE,
    url          text NOT NULL DEFAULT '',
    local        boolean NOT NULL DEFAULT true,
    name         text NOT NULL CHECK (name <> ''),
    description  text NOT NULL DEFAULT '',
    language     text NOT NULL DEFAULT '',
    sensitive    boolean NOT NULL DEFAULT false,
    -- Unlisted collections (false) are left off others' views of the
    -- curator's collections but stay reachable by id and uri.
    discoverable boolean NOT NULL DEFAULT true,
    -- One hashtag (normalised name) describing the collection, or ''.
    tag          text NOT NULL DEFAULT '',
    created      timestamptz NOT NULL DEFAULT now(),
    updated      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collections_identity ON collections (identity_id, created DESC, id DESC);

-- The accounts featured in collections. An item is pending until the
-- featured account's consent is known, accepted once it is, rejected when
-- refused, revoked when the account withdrew itself later (the row stays,
-- so that the curator cannot add the account again).
CREATE TABLE collection_items (
    id            bigint PRIMARY KEY,
    collection_id bigint NOT NULL REFERENCES collections (id) ON DELETE CASCADE,
    identity_id   bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'accepted', 'rejected', 'revoked')),
    -- Order within the collection, 1 first.
    position      integer NOT NULL CHECK (position > 0),
    created       timestamptz NOT NULL DEFAULT now(),
    updated       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (collection_id, identity_id)
);
-- The collections an account is featured in.
CREATE INDEX collection_items_identity ON collection_items (identity_id, collection_id);
