-- Link preview cards: the page a post links to, described by its
-- OpenGraph, Twitter-card, <title> and oEmbed metadata, one row per URL
-- shared by every post linking it; and which post shows which card. Both
-- tables follow the Stator pattern (app/stator/doc.go); the graphs live in
-- app/cards.

-- One card per URL. A new card is fetched by the preview_cards graph;
-- 'fetched' and 'failed' cards are fetched again only when a post links
-- them once more and the last attempt is older than cards.refresh_after.
-- fetched is NULL until a fetch succeeded: such a card is never shown. A
-- failed refresh keeps what the last good fetch found.
CREATE TABLE preview_cards (
    id                 bigint PRIMARY KEY,
    url                text NOT NULL UNIQUE,
    type               text NOT NULL DEFAULT 'link' CHECK (type IN ('link', 'photo', 'video', 'rich')),
    title              text NOT NULL DEFAULT '',
    description        text NOT NULL DEFAULT '',
    author_name        text NOT NULL DEFAULT '',
    author_url         text NOT NULL DEFAULT '',
    provider_name      text NOT NULL DEFAULT '',
    provider_url       text NOT NULL DEFAULT '',
    -- An iframe we built from a video or rich embed, '' for any other.
    html               text NOT NULL DEFAULT '',
    width              integer NOT NULL DEFAULT 0,
    height             integer NOT NULL DEFAULT 0,
    -- The remote image, served to clients through the media proxy.
    image_url          text NOT NULL DEFAULT '',
    image_description  text NOT NULL DEFAULT '',
    embed_url          text NOT NULL DEFAULT '',
    -- ISO 639 code, '' when the page does not say.
    language           text NOT NULL DEFAULT '',
    published          timestamptz,
    fetched            timestamptz,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
CREATE INDEX preview_cards_stator_due ON preview_cards (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER preview_cards_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON preview_cards
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- The card of a post: id is the post's id. A row appears (in 'new') when a
-- post's content holds a link and again whenever it changes; the
-- post_preview_cards graph picks the first link that counts, and links the
-- post to its URL's card ('linked') or to none ('unlinked', then deleted).
CREATE TABLE post_preview_cards (
    id                 bigint PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
    card_id            bigint REFERENCES preview_cards (id) ON DELETE SET NULL,
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
-- The link timeline: a card's posts, newest first.
CREATE INDEX post_preview_cards_card ON post_preview_cards (card_id, id DESC) WHERE card_id IS NOT NULL;
CREATE INDEX post_preview_cards_stator_due ON post_preview_cards (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER post_preview_cards_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON post_preview_cards
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- Queues a post for its card when it is written with a link, and again
-- when its content changes (an edit may add, change or drop the link; a
-- deletion blanks the content). Posts without any link cost one string
-- search. A row being worked on right now is taken from its handler (the
-- lease is cleared, so that outcome is dropped) and handled again.
CREATE FUNCTION posts_queue_preview_card() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.content IS NOT DISTINCT FROM OLD.content THEN
        RETURN NULL;
    END IF;
    IF position('href="http' in NEW.content) = 0
        AND (TG_OP = 'INSERT' OR NOT EXISTS (SELECT 1 FROM post_preview_cards WHERE id = NEW.id)) THEN
        RETURN NULL;
    END IF;
    INSERT INTO post_preview_cards (id) VALUES (NEW.id)
        ON CONFLICT (id) DO UPDATE SET state = 'new', state_changed = now(), state_attempts = 0,
            state_error = NULL, state_next_attempt = now(), state_locked_until = NULL;
    RETURN NULL;
END;
$$;
CREATE TRIGGER posts_queue_preview_card AFTER INSERT OR UPDATE OF content ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_queue_preview_card();
