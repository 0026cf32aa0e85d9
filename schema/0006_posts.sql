-- Posts: statuses written here and received from other servers, their edit
-- history, and the timeline events fan-out writes for local identities.
-- posts follows the Stator pattern (app/stator/doc.go): its graph fans a
-- post out when it is created, edited and deleted.

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
    -- The thread this post belongs to (ActivityPub's context): taken from
    -- the parent, or what the remote object says, or minted for a new
    -- thread; '' when unknown.
    context            text NOT NULL DEFAULT '',
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
--
-- Fan-out writes thousands of rows in one statement, so every per-row cost
-- counts: no foreign keys (their per-row checks tripled the cost of a
-- 10,000-follower fan-out), a plain sequence for ids, and partial indexes
-- so each row updates only the index of its kind. Triggers on posts and
-- identities delete the events of what is deleted instead; readers join
-- posts, so an event can never show something that is gone.
CREATE SEQUENCE timeline_events_id_seq;
CREATE TABLE timeline_events (
    -- Notifications are paged by this id (as Mastodon's are), from
    -- timeline_events_id_seq; home timeline rows, paged by post id, need
    -- none and leave it NULL, which spares fan-out a sequence call and an
    -- index entry per row.
    id          bigint,
    identity_id bigint NOT NULL,
    type        text NOT NULL,
    post_id     bigint,
    -- Who caused the event: the author of a post, the booster, the follower.
    subject_id  bigint,
    created     timestamptz NOT NULL DEFAULT now(),
    seen        boolean NOT NULL DEFAULT false,
    dismissed   boolean NOT NULL DEFAULT false
);
-- The home timeline, by post id; also what keeps fan-out from writing a
-- post twice into one timeline.
CREATE INDEX timeline_events_home ON timeline_events (identity_id, post_id DESC) WHERE type = 'post';
-- Notifications (every other type), newest first.
CREATE INDEX timeline_events_notifications ON timeline_events (identity_id, id DESC) WHERE type <> 'post';
-- Deleting a post removes its events.
CREATE INDEX timeline_events_post ON timeline_events (post_id);

CREATE FUNCTION timeline_events_forget_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM timeline_events WHERE post_id = OLD.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER posts_forget_events AFTER DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION timeline_events_forget_post();

CREATE FUNCTION timeline_events_forget_identity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Two statements, so that each uses its partial index.
    DELETE FROM timeline_events WHERE identity_id = OLD.id AND type = 'post';
    DELETE FROM timeline_events WHERE identity_id = OLD.id AND type <> 'post';
    RETURN NULL;
END;
$$;
CREATE TRIGGER identities_forget_events AFTER DELETE ON identities
    FOR EACH ROW EXECUTE FUNCTION timeline_events_forget_identity();
