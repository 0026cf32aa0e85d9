-- The client API's server, lists and filters group: lists, filters,
-- reports, announcements, Web Push subscriptions, and what the instance
-- endpoints show (settings per domain, rules).

-- Lists of accounts an identity follows, read as timelines. The streaming
-- API reads lists and list_accounts too.
CREATE TABLE lists (
    id             bigint PRIMARY KEY,
    identity_id    bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    title          text NOT NULL CHECK (title <> ''),
    -- Which replies the list shows: to anyone followed, to list members,
    -- or to nobody (replies to the owner always show).
    replies_policy text NOT NULL DEFAULT 'list' CHECK (replies_policy IN ('followed', 'list', 'none')),
    -- Members' posts are left out of the owner's home timeline.
    exclusive      boolean NOT NULL DEFAULT false,
    created        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lists_identity ON lists (identity_id, id);

-- Members of lists. id (a snowflake of when the member was added) pages
-- GET /api/v1/lists/:id/accounts as Mastodon pages it.
CREATE TABLE list_accounts (
    list_id     bigint NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    id          bigint NOT NULL,
    PRIMARY KEY (list_id, identity_id)
);
CREATE INDEX list_accounts_identity ON list_accounts (identity_id);
CREATE INDEX list_accounts_page ON list_accounts (list_id, id DESC);

-- Only followed accounts may be list members (as in Mastodon, where a list
-- entry belongs to the follow): ending a follow takes the account out of
-- the follower's lists.
CREATE FUNCTION list_accounts_forget_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM list_accounts la USING lists l
    WHERE la.list_id = l.id AND l.identity_id = OLD.source_id AND la.identity_id = OLD.target_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER follows_forget_list_members AFTER DELETE ON follows
    FOR EACH ROW EXECUTE FUNCTION list_accounts_forget_follow();
CREATE TRIGGER follows_end_list_members AFTER UPDATE OF state ON follows
    FOR EACH ROW WHEN (NEW.state IN ('undoing', 'rejecting', 'removed') AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION list_accounts_forget_follow();

-- Filters (Mastodon's v2 filters; v1 filters are their keywords): what an
-- identity does not want to see, by keyword or by post, in some contexts.
CREATE TABLE filters (
    id          bigint PRIMARY KEY,
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    title       text NOT NULL CHECK (title <> ''),
    context     text[] NOT NULL CHECK (cardinality(context) > 0
        AND context <@ ARRAY['home', 'notifications', 'public', 'thread', 'account']),
    action      text NOT NULL DEFAULT 'warn' CHECK (action IN ('warn', 'hide', 'blur')),
    expires     timestamptz,
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX filters_identity ON filters (identity_id, id);

CREATE TABLE filter_keywords (
    id         bigint PRIMARY KEY,
    filter_id  bigint NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    keyword    text NOT NULL CHECK (keyword <> ''),
    whole_word boolean NOT NULL DEFAULT true,
    created    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX filter_keywords_filter ON filter_keywords (filter_id, id);

CREATE TABLE filter_statuses (
    id        bigint PRIMARY KEY,
    filter_id bigint NOT NULL REFERENCES filters (id) ON DELETE CASCADE,
    post_id   bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (filter_id, post_id)
);
CREATE INDEX filter_statuses_post ON filter_statuses (post_id);

-- Reports for moderators: filed here by a local identity (local), or
-- received as a Flag from another server (reporter: its actor). uri is the
-- Flag's id, ours when forwarded, so a Flag received twice makes one report.
CREATE TABLE reports (
    id           bigint PRIMARY KEY,
    local        boolean NOT NULL,
    reporter_id  bigint REFERENCES identities (id) ON DELETE SET NULL,
    target_id    bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    post_ids     bigint[] NOT NULL DEFAULT '{}',
    rule_ids     bigint[] NOT NULL DEFAULT '{}',
    category     text NOT NULL DEFAULT 'other' CHECK (category IN ('spam', 'legal', 'violation', 'other')),
    comment      text NOT NULL DEFAULT '',
    forwarded    boolean NOT NULL DEFAULT false,
    uri          text UNIQUE,
    action_taken timestamptz,
    created      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_open ON reports (id DESC) WHERE action_taken IS NULL;
CREATE INDEX reports_target ON reports (target_id);
CREATE INDEX reports_reporter ON reports (reporter_id) WHERE reporter_id IS NOT NULL;

-- The server's rules, shown on the about page and chosen in reports.
CREATE TABLE server_rules (
    id       bigint PRIMARY KEY,
    text     text NOT NULL CHECK (text <> ''),
    hint     text NOT NULL DEFAULT '',
    position integer NOT NULL DEFAULT 0,
    created  timestamptz NOT NULL DEFAULT now()
);

-- Texts and values the instance endpoints show: per local domain, or for
-- every domain (domain ''), a domain's own row winning. Keys: description,
-- extended_description, privacy_policy, terms_of_service (HTML),
-- terms_effective (YYYY-MM-DD), registration_message, contact_email,
-- contact_username, thumbnail_url, source_url.
CREATE TABLE instance_settings (
    domain  text NOT NULL DEFAULT '',
    key     text NOT NULL,
    value   text NOT NULL,
    updated timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (domain, key)
);

-- Announcements by the admins, on one local domain or on all (NULL).
-- Unpublished ones (published NULL) are drafts.
CREATE TABLE announcements (
    id        bigint PRIMARY KEY,
    domain    text REFERENCES domains (domain) ON DELETE CASCADE,
    text      text NOT NULL,
    content   text NOT NULL,
    starts_at timestamptz,
    ends_at   timestamptz,
    all_day   boolean NOT NULL DEFAULT false,
    published timestamptz,
    created   timestamptz NOT NULL DEFAULT now(),
    updated   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX announcements_published ON announcements (published) WHERE published IS NOT NULL;

CREATE TABLE announcement_dismissals (
    announcement_id bigint NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    identity_id     bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    PRIMARY KEY (announcement_id, identity_id)
);
CREATE INDEX announcement_dismissals_identity ON announcement_dismissals (identity_id);

-- Reactions: a Unicode emoji or the shortcode of one of our emoji.
CREATE TABLE announcement_reactions (
    announcement_id bigint NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    identity_id     bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    name            text NOT NULL,
    created         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (announcement_id, identity_id, name)
);
CREATE INDEX announcement_reactions_identity ON announcement_reactions (identity_id);

-- Web Push subscriptions, one per access token (a revoked or deleted
-- token takes its subscription along). Nothing is sent yet: they are kept
-- for the clients that read them back.
CREATE TABLE push_subscriptions (
    token_id    bigint PRIMARY KEY REFERENCES oauth_tokens (id) ON DELETE CASCADE,
    id          bigint NOT NULL UNIQUE,
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    endpoint    text NOT NULL,
    key_p256dh  text NOT NULL,
    key_auth    text NOT NULL,
    standard    boolean NOT NULL DEFAULT false,
    alerts      text[] NOT NULL DEFAULT '{}',
    policy      text NOT NULL DEFAULT 'all' CHECK (policy IN ('all', 'followed', 'follower', 'none')),
    created     timestamptz NOT NULL DEFAULT now(),
    updated     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_identity ON push_subscriptions (identity_id);

-- The server's VAPID key pair (application server key of Web Push), made
-- once on first use; every process shares it.
CREATE TABLE vapid_keys (
    id          integer PRIMARY KEY CHECK (id = 1),
    public_key  text NOT NULL,
    private_key text NOT NULL,
    created     timestamptz NOT NULL DEFAULT now()
);
