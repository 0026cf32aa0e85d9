-- The client API's status actions, notifications and the rest of their
-- group: muted threads, timeline markers, direct conversations, scheduled
-- statuses (a Stator table), idempotency keys of POST /api/v1/statuses,
-- notification policies; bookmarks get an id to page by, boosts a
-- visibility of their own.

-- Threads whose notifications an identity silenced (POST
-- /api/v1/statuses/:id/mute). thread is the post's context, or its URI when
-- it has none. Notifications about a post of a muted thread written after
-- the mute are left out when read.
CREATE TABLE thread_mutes (
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    thread      text NOT NULL,
    created     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, thread)
);

-- Where an identity stopped reading its home timeline and notifications;
-- version counts the updates (0 when first saved, as Mastodon's lock_version).
CREATE TABLE markers (
    identity_id  bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    timeline     text NOT NULL CHECK (timeline IN ('home', 'notifications')),
    last_read_id bigint NOT NULL,
    version      integer NOT NULL DEFAULT 0,
    updated      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, timeline)
);

-- Direct conversations are derived from the direct posts an identity
-- wrote or was addressed in, grouped by thread; this table holds what is
-- the identity's own about one: the id the API names it by (given the
-- first time it is listed), how far it was read and how far it was
-- removed from the list (a newer post brings it back, as in Mastodon).
CREATE TABLE conversations (
    id           bigint PRIMARY KEY,
    identity_id  bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    thread       text NOT NULL,
    read_up_to   bigint NOT NULL DEFAULT 0,
    hidden_up_to bigint NOT NULL DEFAULT 0,
    UNIQUE (identity_id, thread)
);
-- An identity's direct posts, written and received.
CREATE INDEX posts_direct_author ON posts (author_id, id DESC) WHERE visibility = 'direct';
CREATE INDEX posts_direct_mentions ON posts USING gin (mentions) WHERE visibility = 'direct';

-- Statuses to publish later. params are the POST /api/v1/statuses
-- parameters as the API received them (JSON); the graph publishes the row
-- when scheduled_at comes and records the post.
CREATE TABLE scheduled_statuses (
    id                 bigint PRIMARY KEY,
    identity_id        bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    scheduled_at       timestamptz NOT NULL,
    params             jsonb NOT NULL,
    post_id            bigint,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'scheduled',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
CREATE INDEX scheduled_statuses_identity ON scheduled_statuses (identity_id, id DESC) WHERE state = 'scheduled';
CREATE INDEX scheduled_statuses_stator_due ON scheduled_statuses (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER scheduled_statuses_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON scheduled_statuses
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- Idempotency-Key of POST /api/v1/statuses: a key sent again by the same
-- identity within an hour answers what the first request made. A row with
-- neither post nor scheduled status is a request in progress.
CREATE TABLE idempotency_keys (
    identity_id  bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    key          text NOT NULL,
    post_id      bigint,
    scheduled_id bigint,
    created      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, key)
);

-- Which notifications an identity wants to see (GET/PATCH
-- /api/v2/notifications/policy): accept, filter or drop.
CREATE TABLE notification_policies (
    identity_id          bigint PRIMARY KEY REFERENCES identities (id) ON DELETE CASCADE,
    for_not_following    text NOT NULL DEFAULT 'accept',
    for_not_followers    text NOT NULL DEFAULT 'accept',
    for_new_accounts     text NOT NULL DEFAULT 'accept',
    for_private_mentions text NOT NULL DEFAULT 'accept',
    for_limited_accounts text NOT NULL DEFAULT 'accept',
    updated              timestamptz NOT NULL DEFAULT now()
);

-- Bookmarks are paged by their own id (a snowflake of when the post was
-- bookmarked), as Mastodon pages them.
ALTER TABLE bookmarks ADD COLUMN id bigint;
UPDATE bookmarks SET id = ((extract(epoch FROM created) * 1000)::bigint << 16) | (random() * 65535)::bigint;
ALTER TABLE bookmarks ALTER COLUMN id SET NOT NULL,
    ALTER COLUMN id SET DEFAULT ((extract(epoch FROM clock_timestamp()) * 1000)::bigint << 16) | (random() * 65535)::bigint;
CREATE INDEX bookmarks_identity ON bookmarks (identity_id, id DESC);

-- An identity's favourites, newest first (GET /api/v1/favourites).
CREATE INDEX post_interactions_likes ON post_interactions (identity_id, id DESC) WHERE type = 'like';

-- A boost's own audience (POST /api/v1/statuses/:id/reblog visibility):
-- public, unlisted or private; '' for the default (public).
ALTER TABLE post_interactions ADD COLUMN visibility text NOT NULL DEFAULT '';
