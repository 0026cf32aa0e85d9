-- Posts: statuses written here and received from other servers, their edit
-- history, and the timeline events fan-out writes for local identities.
-- posts follows the Stator pattern (app/stator/doc.go): its graph fans a
-- post out when it is created, edited and deleted.

-- snowflake_id returns an id in the layout of model.ID (milliseconds since
-- the Unix epoch in the high bits, 16 low bits from seq) for rows made in
-- SQL, such as the many timeline events one INSERT ... SELECT writes.
CREATE FUNCTION snowflake_id(seq regclass) RETURNS bigint LANGUAGE sql VOLATILE AS $$
    SELECT (floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint << 16) | (nextval(seq) & 65535)
$$;

-- Posts, ours and remote ones, in one table with a unique URI so that
-- concurrent or repeated arrivals of the same remote post make one row.
CREATE TABLE posts (
    -- A snowflake: for remote posts made from their published time (never in
    -- the future), so timelines sort by when posts were written.
    id                 bigint PRIMARY KEY,
    author_id          bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    local              boolean NOT NULL,
    uri                text NOT NULL UNIQUE,
    -- The human page of the post (for remote posts, as their server says).
    url                text NOT NULL DEFAULT '',
    -- Note, Question, Article or Page: what the object was when it arrived.
    object_type        text NOT NULL DEFAULT 'Note',
    -- public: everywhere; unlisted: not in public timelines; private: the
    -- author's followers; direct: the mentioned only; local: never leaves
    -- this server.
    visibility         text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private', 'direct', 'local')),
    -- HTML: rendered from source for local posts, sanitized for remote ones.
    content            text NOT NULL DEFAULT '',
    -- The text as typed, for local posts (edits start from it); NULL for
    -- remote posts.
    source             text,
    -- The content warning, plain text.
    summary            text NOT NULL DEFAULT '',
    sensitive          boolean NOT NULL DEFAULT false,
    -- ISO 639 code, '' when unknown.
    language           text NOT NULL DEFAULT '',
    -- The name of an Article or Page ('' for notes).
    title              text NOT NULL DEFAULT '',
    -- The post this replies to: its URI always, its id once it is known here.
    in_reply_to_uri    text NOT NULL DEFAULT '',
    in_reply_to_id     bigint REFERENCES posts (id) ON DELETE SET NULL,
    -- Identities mentioned (identities.id), the audience of direct posts.
    mentions           bigint[] NOT NULL DEFAULT '{}',
    -- Hashtags, normalised and lower-cased, without '#'.
    hashtags           text[] NOT NULL DEFAULT '{}',
    published          timestamptz NOT NULL DEFAULT now(),
    -- Time of the last edit, NULL when never edited.
    edited             timestamptz,
    -- Set when deleted; content is blanked once the deletion is fanned out.
    deleted            timestamptz,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
-- An author's posts, newest first (outbox, profile).
CREATE INDEX posts_author ON posts (author_id, id DESC);
CREATE INDEX posts_in_reply_to ON posts (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL;
-- Replies that arrived before their parent, to link when it arrives.
CREATE INDEX posts_in_reply_to_uri ON posts (in_reply_to_uri) WHERE in_reply_to_id IS NULL AND in_reply_to_uri <> '';
CREATE INDEX posts_stator_due ON posts (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER posts_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON posts
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- Edit history: one row per edit, holding the version the edit replaced
-- (the current version is the post itself), edited being when that
-- version was replaced.
CREATE TABLE post_edits (
    id        bigint PRIMARY KEY,
    post_id   bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    edited    timestamptz NOT NULL DEFAULT now(),
    content   text NOT NULL,
    summary   text NOT NULL DEFAULT '',
    sensitive boolean NOT NULL DEFAULT false
);
CREATE INDEX post_edits_post ON post_edits (post_id, id);

-- Timeline events: what a local identity's timelines show, written at
-- fan-out. 'post' rows are the home timeline; boosts, mentions, follows and
-- other notifications arrive as more types.
CREATE SEQUENCE timeline_events_id_seq;
CREATE TABLE timeline_events (
    id          bigint PRIMARY KEY DEFAULT snowflake_id('timeline_events_id_seq'),
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    type        text NOT NULL,
    post_id     bigint REFERENCES posts (id) ON DELETE CASCADE,
    -- Who caused the event: the author of a post, the booster, the follower.
    subject_id  bigint REFERENCES identities (id) ON DELETE CASCADE,
    created     timestamptz NOT NULL DEFAULT now(),
    seen        boolean NOT NULL DEFAULT false,
    dismissed   boolean NOT NULL DEFAULT false,
    -- Fan-out run twice writes each event once (ON CONFLICT DO NOTHING);
    -- the subject is part of it, since several people can like one post.
    -- This index also serves the home timeline, paged by post id.
    UNIQUE (identity_id, type, post_id, subject_id)
);
CREATE INDEX timeline_events_identity ON timeline_events (identity_id, id DESC);
-- Deleting a post removes its events.
CREATE INDEX timeline_events_post ON timeline_events (post_id);
