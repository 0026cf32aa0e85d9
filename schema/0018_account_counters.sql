-- Counters of identities, kept by triggers, so that rendering an account
-- (every status of every timeline page carries one) never counts rows:
-- accepted follows both ways, posts that are not deleted, and the time of
-- the newest of them.
ALTER TABLE identities
    ADD COLUMN followers_count integer NOT NULL DEFAULT 0,
    ADD COLUMN following_count integer NOT NULL DEFAULT 0,
    ADD COLUMN statuses_count  integer NOT NULL DEFAULT 0,
    ADD COLUMN last_status_at  timestamptz;

UPDATE identities i SET
    followers_count = (SELECT count(*) FROM follows f WHERE f.target_id = i.id AND f.state = 'accepted'),
    following_count = (SELECT count(*) FROM follows f WHERE f.source_id = i.id AND f.state = 'accepted'),
    statuses_count  = (SELECT count(*) FROM posts p WHERE p.author_id = i.id AND p.deleted IS NULL),
    last_status_at  = (SELECT max(p.published) FROM posts p WHERE p.author_id = i.id AND p.deleted IS NULL);

CREATE FUNCTION follows_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.state = 'accepted';
    now_ boolean := TG_OP <> 'DELETE' AND NEW.state = 'accepted';
BEGIN
    IF was AND (NOT now_ OR OLD.source_id <> NEW.source_id OR OLD.target_id <> NEW.target_id) THEN
        UPDATE identities SET followers_count = greatest(followers_count - 1, 0) WHERE id = OLD.target_id;
        UPDATE identities SET following_count = greatest(following_count - 1, 0) WHERE id = OLD.source_id;
        was := false;
    END IF;
    IF now_ AND NOT was THEN
        UPDATE identities SET followers_count = followers_count + 1 WHERE id = NEW.target_id;
        UPDATE identities SET following_count = following_count + 1 WHERE id = NEW.source_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER follows_count AFTER INSERT OR DELETE OR UPDATE OF state, source_id, target_id ON follows
    FOR EACH ROW EXECUTE FUNCTION follows_count();

CREATE FUNCTION posts_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.deleted IS NULL;
    now_ boolean := TG_OP <> 'DELETE' AND NEW.deleted IS NULL;
BEGIN
    IF was AND NOT now_ THEN
        UPDATE identities SET statuses_count = greatest(statuses_count - 1, 0) WHERE id = OLD.author_id;
    ELSIF now_ AND NOT was THEN
        UPDATE identities SET statuses_count = statuses_count + 1,
            last_status_at = greatest(last_status_at, NEW.published) WHERE id = NEW.author_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER posts_count AFTER INSERT OR DELETE OR UPDATE OF deleted ON posts
    FOR EACH ROW EXECUTE FUNCTION posts_count();
