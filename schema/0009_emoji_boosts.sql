-- Boosts in home timelines and custom emoji.

-- A boost in a home timeline is a 'post' row whose post_id is the boosted
-- post, subject_id the booster and boost_id the boost (the id of its
-- post_interactions row, a snowflake of when it was boosted, which plays
-- the part of Mastodon's reblog status id). The home timeline is paged by
-- coalesce(boost_id, post_id): a post sits where it was written, a boost
-- where it was boosted, in one index. A plain post row leaves boost_id
-- NULL, so fan-out of posts writes nothing more than before, and adding
-- the column rewrites nothing.
ALTER TABLE timeline_events ADD COLUMN boost_id bigint;
DROP INDEX timeline_events_home;
CREATE INDEX timeline_events_home ON timeline_events (identity_id, (coalesce(boost_id, post_id)) DESC) WHERE type = 'post';
-- Undoing a boost removes its rows; boost fan-out writes each timeline once.
CREATE INDEX timeline_events_boost ON timeline_events (boost_id) WHERE boost_id IS NOT NULL;

CREATE FUNCTION timeline_events_forget_boost() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM timeline_events WHERE boost_id = OLD.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER post_interactions_forget_boost AFTER DELETE ON post_interactions
    FOR EACH ROW WHEN (OLD.type = 'boost') EXECUTE FUNCTION timeline_events_forget_boost();

-- Custom emoji: ours (domain '') and those met in remote posts (domain of
-- their author, uri the Emoji object's id).
CREATE TABLE emoji (
    id                bigint PRIMARY KEY,
    shortcode         text NOT NULL CHECK (shortcode <> ''),
    domain            text NOT NULL DEFAULT '',
    image_url         text NOT NULL,
    media_type        text NOT NULL DEFAULT '',
    visible_in_picker boolean NOT NULL DEFAULT true,
    uri               text NOT NULL DEFAULT '',
    created           timestamptz NOT NULL DEFAULT now(),
    updated           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (shortcode, domain)
);

-- The emoji a post uses, for rendering it (Note tags, the API).
CREATE TABLE post_emoji (
    post_id  bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    emoji_id bigint NOT NULL REFERENCES emoji (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, emoji_id)
);
CREATE INDEX post_emoji_emoji ON post_emoji (emoji_id);
