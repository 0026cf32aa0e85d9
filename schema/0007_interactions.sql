-- Interactions with posts: likes, boosts, poll votes, pins and emoji
-- reactions, ours and received; bookmarks (local only); and per-post
-- counters. post_interactions follows the Stator pattern
-- (app/stator/doc.go): its graph sends our interactions and their undoing.

CREATE TABLE post_interactions (
    id                 bigint PRIMARY KEY,
    -- like, boost (Announce), vote (poll choice), pin (featured), reaction
    -- (an emoji reaction from Misskey, Pleroma and kin).
    type               text NOT NULL CHECK (type IN ('like', 'boost', 'vote', 'pin', 'reaction')),
    identity_id        bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    post_id            bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    -- The activity's id (Like, Announce, EmojiReact, Add): Undo names it.
    uri                text NOT NULL UNIQUE,
    -- The emoji of a reaction, the choice of a vote; '' otherwise.
    value              text NOT NULL DEFAULT '',
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text,
    UNIQUE (identity_id, post_id, type, value)
);
-- Counting and listing a post's likes, boosts and reactions.
CREATE INDEX post_interactions_post ON post_interactions (post_id, type);
-- An identity's pins, newest first (featured collection, the pin limit).
CREATE INDEX post_interactions_pins ON post_interactions (identity_id, id DESC) WHERE type = 'pin';
CREATE INDEX post_interactions_stator_due ON post_interactions (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER post_interactions_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON post_interactions
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- Bookmarks: private to their identity, never federated.
CREATE TABLE bookmarks (
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    post_id     bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, post_id)
);
CREATE INDEX bookmarks_post ON bookmarks (post_id);

-- Counters, recomputed from post_interactions (and replies from posts) by
-- the code each time one changes: a recount is idempotent, so a handler run
-- twice or a lost increment never leaves a counter wrong for good, and
-- reading a post costs no count(*). Fast defaults: no table rewrite.
ALTER TABLE posts
    ADD COLUMN likes_count     integer NOT NULL DEFAULT 0,
    ADD COLUMN boosts_count    integer NOT NULL DEFAULT 0,
    ADD COLUMN replies_count   integer NOT NULL DEFAULT 0,
    ADD COLUMN reactions_count integer NOT NULL DEFAULT 0;
