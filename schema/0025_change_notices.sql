-- Change notices: triggers that tell every process, by NOTIFY on the
-- channel pukeko_changes, which readers, posts and identities changed, so
-- that a process may keep whole answers of the client API in memory
-- (app/mastodon/page_cache.go) and drop them when what they show changes.
-- Triggers see every writer: the API, Stator, federation, an admin's SQL.
-- NOTIFY is sent at commit, in commit order, and nothing rolled back is
-- announced. PostgreSQL folds identical messages of one transaction.
--
-- The messages (app/store/changes.go decodes them):
--   r:ID[,ID...]   what these readers see changed: their timelines, their
--                  marks on posts, whom they follow, block or mute, their
--                  filters and lists;
--   p:ID           a post changed: content, counters, poll, attachments,
--                  card, quotes, emoji, or it was deleted;
--   i:ID           an identity changed (profile, counters, deletion);
--   *              something every answer may show changed (custom emoji);
--   b:TOKEN        a barrier a process sends itself (not from triggers).

-- unlike_rows reports whether two versions of a row differ in more than
-- Stator's bookkeeping: claiming a row, retrying and backing off change
-- nothing anyone sees (its state, when it moves on, may).
CREATE FUNCTION unlike_rows(a jsonb, b jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (a - '{state_changed,state_attempts,state_next_attempt,state_locked_until,state_error}'::text[])
        IS DISTINCT FROM (b - '{state_changed,state_attempts,state_next_attempt,state_locked_until,state_error}'::text[])
$$;

-- note_change notes the row changed for each of its arguments: 'k:column'
-- sends k:value of that column of the old and the new row (a NULL value
-- sends nothing); '*' sends *.
CREATE FUNCTION note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    arg text;
    kind text;
    col text;
    v text;
    old_row jsonb;
    new_row jsonb;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_row := to_jsonb(OLD);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_row := to_jsonb(NEW);
    END IF;
    FOREACH arg IN ARRAY TG_ARGV LOOP
        IF arg = '*' THEN
            PERFORM pg_notify('pukeko_changes', '*');
            CONTINUE;
        END IF;
        kind := split_part(arg, ':', 1);
        col := split_part(arg, ':', 2);
        v := old_row ->> col;
        IF v IS NOT NULL THEN
            PERFORM pg_notify('pukeko_changes', kind || ':' || v);
        END IF;
        v := new_row ->> col;
        IF v IS NOT NULL THEN
            PERFORM pg_notify('pukeko_changes', kind || ':' || v);
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

-- note_owner_change notes a change of a row that belongs to a list or a
-- filter as a change for the list's or filter's owner.
CREATE FUNCTION note_owner_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner bigint;
BEGIN
    FOR owner IN
        SELECT l.identity_id FROM lists l
        WHERE TG_TABLE_NAME = 'list_accounts' AND l.id IN (
            (CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) ->> 'list_id' END)::bigint,
            (CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) ->> 'list_id' END)::bigint)
        UNION
        SELECT f.identity_id FROM filters f
        WHERE TG_TABLE_NAME IN ('filter_keywords', 'filter_statuses') AND f.id IN (
            (CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) ->> 'filter_id' END)::bigint,
            (CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) ->> 'filter_id' END)::bigint)
    LOOP
        PERFORM pg_notify('pukeko_changes', 'r:' || owner);
    END LOOP;
    RETURN NULL;
END;
$$;

-- Home rows written or removed: one message per 300 readers (under
-- the 8000 bytes NOTIFY allows with ids of 19 digits), since
-- fan-out writes thousands of rows in one statement. Notifications (the
-- other rows of the table) change no timeline.
CREATE FUNCTION note_timeline_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text;
BEGIN
    FOR ids IN
        SELECT string_agg(c.identity_id::text, ',')
        FROM (SELECT d.identity_id, (row_number() OVER () - 1) / 300 AS chunk
            FROM (SELECT DISTINCT r.identity_id FROM changed_rows r WHERE r.type = 'post') d) c
        GROUP BY c.chunk
    LOOP
        PERFORM pg_notify('pukeko_changes', 'r:' || ids);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER timeline_events_note_insert AFTER INSERT ON timeline_events
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_timeline_change();
CREATE TRIGGER timeline_events_note_update AFTER UPDATE ON timeline_events
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_timeline_change();
CREATE TRIGGER timeline_events_note_delete AFTER DELETE ON timeline_events
    REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_timeline_change();

-- Posts and what is rendered with them. New posts reach timelines through
-- timeline_events; what changes after is noted here (counters included,
-- which the code recounts into the post's row). Updates that change
-- nothing seen (a refetch of the same content, Stator's bookkeeping) are
-- not.
CREATE TRIGGER posts_note AFTER UPDATE ON posts
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_change('p:id');
CREATE TRIGGER posts_note_delete AFTER DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION note_change('p:id');
CREATE TRIGGER polls_note AFTER INSERT OR UPDATE OR DELETE ON polls
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');
CREATE TRIGGER media_attachments_note AFTER INSERT OR UPDATE OR DELETE ON media_attachments
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');
CREATE TRIGGER post_emoji_note AFTER INSERT OR UPDATE OR DELETE ON post_emoji
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');
CREATE TRIGGER post_hashtags_note AFTER INSERT OR UPDATE OR DELETE ON post_hashtags
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');
CREATE TRIGGER post_edits_note AFTER INSERT OR UPDATE OR DELETE ON post_edits
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');
CREATE TRIGGER post_preview_cards_note AFTER INSERT OR UPDATE OR DELETE ON post_preview_cards
    FOR EACH ROW EXECUTE FUNCTION note_change('p:id');
CREATE TRIGGER quotes_note AFTER INSERT OR DELETE ON quotes
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id', 'p:quoted_post_id');
CREATE TRIGGER quotes_note_update AFTER UPDATE ON quotes
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_change('p:post_id', 'p:quoted_post_id');
CREATE TRIGGER quote_policies_note AFTER INSERT OR UPDATE OR DELETE ON quote_policies
    FOR EACH ROW EXECUTE FUNCTION note_change('p:post_id');

-- A card is shared by every post linking its URL.
CREATE FUNCTION note_card_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    post bigint;
BEGIN
    FOR post IN SELECT pc.id FROM post_preview_cards pc WHERE pc.card_id = OLD.id LOOP
        PERFORM pg_notify('pukeko_changes', 'p:' || post);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER preview_cards_note AFTER UPDATE ON preview_cards
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_card_change();

-- What a reader did to posts: their marks (favourited, boosted, pinned),
-- which show while the interaction is in one of the states the client
-- API reads as done (app/store/post_stamps.go). The posts' counters are
-- noted with the posts.
CREATE TRIGGER post_interactions_note AFTER INSERT OR DELETE ON post_interactions
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER post_interactions_note_update AFTER UPDATE ON post_interactions
    FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type OR OLD.post_id IS DISTINCT FROM NEW.post_id
        OR OLD.identity_id IS DISTINCT FROM NEW.identity_id
        OR (OLD.state IN ('new', 'fanned_out', 'received')) IS DISTINCT FROM (NEW.state IN ('new', 'fanned_out', 'received')))
    EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER bookmarks_note AFTER INSERT OR UPDATE OR DELETE ON bookmarks
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER poll_votes_note AFTER INSERT OR UPDATE OR DELETE ON poll_votes
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id', 'p:post_id');
CREATE TRIGGER thread_mutes_note AFTER INSERT OR UPDATE OR DELETE ON thread_mutes
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');

-- Whom a reader sees: follows, blocks and mutes (both sides), domain
-- blocks, exclusive lists, filters.
CREATE TRIGGER follows_note AFTER INSERT OR DELETE ON follows
    FOR EACH ROW EXECUTE FUNCTION note_change('r:source_id', 'r:target_id');
CREATE TRIGGER follows_note_update AFTER UPDATE ON follows
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_change('r:source_id', 'r:target_id');
CREATE TRIGGER blocks_note AFTER INSERT OR DELETE ON blocks
    FOR EACH ROW EXECUTE FUNCTION note_change('r:source_id', 'r:target_id');
CREATE TRIGGER blocks_note_update AFTER UPDATE ON blocks
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_change('r:source_id', 'r:target_id');
CREATE TRIGGER identity_domain_blocks_note AFTER INSERT OR UPDATE OR DELETE ON identity_domain_blocks
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER lists_note AFTER INSERT OR UPDATE OR DELETE ON lists
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER list_accounts_note AFTER INSERT OR UPDATE OR DELETE ON list_accounts
    FOR EACH ROW EXECUTE FUNCTION note_owner_change();
CREATE TRIGGER filters_note AFTER INSERT OR UPDATE OR DELETE ON filters
    FOR EACH ROW EXECUTE FUNCTION note_change('r:identity_id');
CREATE TRIGGER filter_keywords_note AFTER INSERT OR UPDATE OR DELETE ON filter_keywords
    FOR EACH ROW EXECUTE FUNCTION note_owner_change();
CREATE TRIGGER filter_statuses_note AFTER INSERT OR UPDATE OR DELETE ON filter_statuses
    FOR EACH ROW EXECUTE FUNCTION note_owner_change();

-- Identities: profiles and counters shown with every post of theirs.
CREATE TRIGGER identities_note AFTER UPDATE ON identities
    FOR EACH ROW WHEN (unlike_rows(to_jsonb(OLD), to_jsonb(NEW))) EXECUTE FUNCTION note_change('i:id');
CREATE TRIGGER identities_note_delete AFTER DELETE ON identities
    FOR EACH ROW EXECUTE FUNCTION note_change('i:id');

-- Custom emoji may show in any post or profile.
CREATE TRIGGER emoji_note AFTER UPDATE ON emoji
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION note_change('*');
CREATE TRIGGER emoji_note_delete AFTER DELETE ON emoji
    FOR EACH ROW EXECUTE FUNCTION note_change('*');
