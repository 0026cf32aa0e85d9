-- Streaming: triggers that tell every web process what its streaming
-- clients may want to hear, by NOTIFY on the channel pukeko_stream. A
-- client connected to any process thus sees what any process (or Stator
-- worker) did. Messages carry ids only (NOTIFY allows 8000 bytes); the
-- processes load and render what they deliver, for each reader. NOTIFY is
-- sent at commit, so nothing rolled back is ever announced.
--
-- The messages (app/store/stream.go decodes them):
--   {"stream":"user","event":"update","identities":[..],"post":P,"boost":B,"by":I}
--       home-timeline rows written (boost and by for a boost);
--   {"stream":"user","event":"notification","identity":I,"notification":N}
--   {"stream":"user","event":"delete","identities":[..],"post":P}
--       home-timeline rows removed: P is the post, or the boost's id;
--   {"stream":"user","event":"filters_changed","identity":I}  (sent by the API)
--   {"stream":"public","post":P,"local":L}   a public or local-only post fanned out;
--   {"stream":"post","post":P}               an unlisted or private one (for lists);
--   {"stream":"update","post":P}             an edit fanned out (or made while new);
--   {"stream":"delete","post":P}             a post deleted.

-- Home rows and notifications written. Statement-level with the rows as a
-- table: fan-out writes thousands of rows in one INSERT, and they leave as
-- one message per post and 250 identities (about 6 kB), not one per row.
CREATE FUNCTION stream_timeline_events_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT e.post_id, e.boost_id, min(e.subject_id) AS subject_id, array_agg(e.identity_id) AS ids
        FROM (SELECT n.post_id, n.boost_id, n.subject_id, n.identity_id,
                (row_number() OVER (PARTITION BY n.post_id, n.boost_id) - 1) / 250 AS chunk
            FROM inserted n WHERE n.type = 'post' AND n.post_id IS NOT NULL) e
        GROUP BY e.post_id, e.boost_id, e.chunk
    LOOP
        PERFORM pg_notify('pukeko_stream', jsonb_strip_nulls(jsonb_build_object(
            'stream', 'user', 'event', 'update', 'identities', r.ids, 'post', r.post_id, 'boost', r.boost_id,
            'by', CASE WHEN r.boost_id IS NOT NULL THEN r.subject_id END))::text);
    END LOOP;
    FOR r IN SELECT n.id, n.identity_id FROM inserted n WHERE n.type <> 'post' AND n.id IS NOT NULL LOOP
        PERFORM pg_notify('pukeko_stream', jsonb_build_object(
            'stream', 'user', 'event', 'notification', 'identity', r.identity_id, 'notification', r.id)::text);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER timeline_events_stream_insert AFTER INSERT ON timeline_events
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION stream_timeline_events_inserted();

-- Home rows removed (a post deleted, a boost undone): the identities that
-- had them hear a delete of what their timeline showed, the post or the
-- boost. Rows of identities being deleted are left out: nobody listens
-- for them, and an identity's deletion removes thousands at once.
CREATE FUNCTION stream_timeline_events_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT e.key, array_agg(e.identity_id) AS ids
        FROM (SELECT coalesce(o.boost_id, o.post_id) AS key, o.identity_id,
                (row_number() OVER (PARTITION BY coalesce(o.boost_id, o.post_id)) - 1) / 250 AS chunk
            FROM removed o JOIN identities i ON i.id = o.identity_id AND i.deleted IS NULL
            WHERE o.type = 'post' AND o.post_id IS NOT NULL) e
        GROUP BY e.key, e.chunk
    LOOP
        PERFORM pg_notify('pukeko_stream', jsonb_build_object(
            'stream', 'user', 'event', 'delete', 'identities', r.ids, 'post', r.key)::text);
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER timeline_events_stream_delete AFTER DELETE ON timeline_events
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION stream_timeline_events_deleted();

-- A post's life: fanned out for the first time (new -> fanned_out; an edit
-- before that leaves it new), edited (announced once the edit is fanned
-- out, or at once while the post is still new), deleted. Direct posts
-- reach no public stream or list: their readers hear of them through
-- their home rows.
CREATE FUNCTION stream_posts_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.deleted IS NOT NULL THEN
        IF OLD.deleted IS NULL AND NEW.visibility <> 'direct' THEN
            PERFORM pg_notify('pukeko_stream', jsonb_build_object('stream', 'delete', 'post', NEW.id)::text);
        END IF;
    ELSIF NEW.state = 'fanned_out' AND OLD.state = 'new' THEN
        IF NEW.visibility IN ('public', 'local') THEN
            PERFORM pg_notify('pukeko_stream', jsonb_build_object('stream', 'public', 'post', NEW.id, 'local', NEW.local)::text);
        ELSIF NEW.visibility IN ('unlisted', 'private') THEN
            PERFORM pg_notify('pukeko_stream', jsonb_build_object('stream', 'post', 'post', NEW.id)::text);
        END IF;
    ELSIF NEW.state = 'edited_fanned_out' AND OLD.state <> 'edited_fanned_out' THEN
        PERFORM pg_notify('pukeko_stream', jsonb_build_object('stream', 'update', 'post', NEW.id)::text);
    ELSIF NEW.state = 'new' AND NEW.edited IS DISTINCT FROM OLD.edited THEN
        -- Edited before its first fan-out was recorded: the post stays new
        -- and goes out once, but home timelines may have it already (their
        -- rows are written before the state moves).
        PERFORM pg_notify('pukeko_stream', jsonb_build_object('stream', 'update', 'post', NEW.id)::text);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER posts_stream AFTER UPDATE OF state, deleted, edited ON posts
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.deleted IS DISTINCT FROM NEW.deleted
        OR OLD.edited IS DISTINCT FROM NEW.edited)
    EXECUTE FUNCTION stream_posts_changed();
