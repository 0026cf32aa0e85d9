-- Outgoing email (queued for SMTP), the confirmation of new users' email
-- addresses, and notification requests: what an identity's notification
-- policy filters, filed per sender until accepted or dismissed.

-- When a user confirmed their email address, NULL while they have not: the
-- client API then answers them 403 on most endpoints. Users that exist
-- already, and users an administrator creates, count as confirmed (the
-- default); sign-ups through the API clear it when the server sends
-- confirmation emails. created_by_app_id is the app a user signed up
-- through: only it may have the confirmation email sent again.
ALTER TABLE users ADD COLUMN confirmed timestamptz DEFAULT now(),
    ADD COLUMN created_by_app_id bigint REFERENCES oauth_apps (id) ON DELETE SET NULL;
CREATE INDEX users_created_by_app ON users (created_by_app_id) WHERE created_by_app_id IS NOT NULL;

-- The open confirmation of a user's email address: the link sent (its
-- token, stored as its SHA-256 only) and the address it was sent to, which
-- becomes the user's when the link is opened. Sending again replaces it.
CREATE TABLE email_confirmations (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    email      text NOT NULL,
    created    timestamptz NOT NULL DEFAULT now(),
    expires    timestamptz NOT NULL
);
CREATE INDEX email_confirmations_expires ON email_confirmations (expires);

-- Emails waiting for the SMTP server (Stator graph "emails"). The bodies
-- are rendered when the message is queued, so that a message once queued
-- goes out as it was written whatever happens to the process; they are
-- blanked once sent (they may hold links that log in or confirm).
CREATE TABLE email_messages (
    id                 bigint PRIMARY KEY,
    recipient          text NOT NULL,
    subject            text NOT NULL,
    text_body          text NOT NULL,
    html_body          text NOT NULL,
    created            timestamptz NOT NULL DEFAULT now(),
    state              text NOT NULL DEFAULT 'new',
    state_changed      timestamptz NOT NULL DEFAULT now(),
    state_attempts     integer NOT NULL DEFAULT 0,
    state_next_attempt timestamptz DEFAULT now(),
    state_locked_until timestamptz,
    state_error        text
);
CREATE INDEX email_messages_stator_due ON email_messages (state_next_attempt) WHERE state_next_attempt IS NOT NULL;
CREATE TRIGGER email_messages_stator_notify AFTER INSERT OR UPDATE OF state_next_attempt ON email_messages
    FOR EACH ROW WHEN (NEW.state_next_attempt <= now()) EXECUTE FUNCTION stator_notify();

-- Notifications the policy filtered: kept out of the notification lists
-- (include_filtered shows them) and counted in their sender's request.
ALTER TABLE timeline_events ADD COLUMN filtered boolean NOT NULL DEFAULT false;
CREATE INDEX timeline_events_filtered ON timeline_events (identity_id, subject_id) WHERE filtered;

-- One request per identity and sender of filtered notifications, as
-- Mastodon's (GET /api/v1/notifications/requests). Its notifications are
-- the filtered ones of that sender, counted when read.
CREATE TABLE notification_requests (
    id           bigint PRIMARY KEY,
    identity_id  bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    from_id      bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    -- The post of the newest filtered notification that had one.
    last_post_id bigint,
    created      timestamptz NOT NULL DEFAULT now(),
    updated      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (identity_id, from_id)
);
CREATE INDEX notification_requests_identity ON notification_requests (identity_id, id DESC);
CREATE INDEX notification_requests_from ON notification_requests (from_id);

-- Senders whose requests an identity accepted: the policy lets their
-- notifications through from then on.
CREATE TABLE notification_permissions (
    identity_id bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    from_id     bigint NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    created     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (identity_id, from_id)
);
CREATE INDEX notification_permissions_from ON notification_permissions (from_id);

-- The notification policy of recipient for a notification of typ about
-- post (NULL for none) caused by sender: accept, filter or drop, as
-- Mastodon's NotifyService decides. Each category that applies to the
-- sender (not followed by the recipient; not following the recipient for
-- three days; an account first seen within 30 days and not followed; a
-- private mention from someone not followed that answers no private
-- mention of the recipient) gives its choice, and the strictest wins.
-- Senders whose request was accepted pass, and so do mentions from the
-- server's staff. Types that Mastodon never filters (status, update, poll,
-- admin ones) pass too. Pukeko limits no accounts, so
-- for_limited_accounts never applies.
CREATE FUNCTION notification_policy_verdict(recipient bigint, sender bigint, typ text, post bigint)
RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    np notification_policies%ROWTYPE;
    following boolean;
    choices text[] := '{}';
BEGIN
    IF sender IS NULL OR typ NOT IN ('mention', 'reblog', 'follow', 'follow_request', 'favourite', 'quote') THEN
        RETURN 'accept';
    END IF;
    SELECT * INTO np FROM notification_policies WHERE identity_id = recipient;
    IF NOT FOUND OR (np.for_not_following = 'accept' AND np.for_not_followers = 'accept'
            AND np.for_new_accounts = 'accept' AND np.for_private_mentions = 'accept') THEN
        RETURN 'accept';
    END IF;
    IF EXISTS (SELECT 1 FROM notification_permissions WHERE identity_id = recipient AND from_id = sender) THEN
        RETURN 'accept';
    END IF;
    IF typ = 'mention' AND EXISTS (SELECT 1 FROM user_identities ui JOIN users u ON u.id = ui.user_id
            WHERE ui.identity_id = sender AND (u.admin OR u.moderator)) THEN
        RETURN 'accept';
    END IF;
    following := EXISTS (SELECT 1 FROM follows f WHERE f.source_id = recipient AND f.target_id = sender
        AND f.state = 'accepted');
    IF NOT following THEN
        choices := choices || np.for_not_following;
    END IF;
    IF np.for_not_followers <> 'accept' AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.source_id = sender
            AND f.target_id = recipient AND f.state = 'accepted' AND f.created <= now() - interval '3 days') THEN
        choices := choices || np.for_not_followers;
    END IF;
    IF np.for_new_accounts <> 'accept' AND NOT following AND EXISTS (SELECT 1 FROM identities s WHERE s.id = sender
            AND s.created > now() - interval '30 days') THEN
        choices := choices || np.for_new_accounts;
    END IF;
    IF np.for_private_mentions <> 'accept' AND NOT following AND typ = 'mention'
            AND EXISTS (SELECT 1 FROM posts p WHERE p.id = post AND p.visibility = 'direct')
            AND NOT EXISTS (
                WITH RECURSIVE up (id, depth) AS (
                    SELECT p.in_reply_to_id, 1 FROM posts p WHERE p.id = post AND p.in_reply_to_id IS NOT NULL
                    UNION ALL
                    SELECT p.in_reply_to_id, up.depth + 1 FROM up JOIN posts p ON p.id = up.id
                    WHERE p.in_reply_to_id IS NOT NULL AND up.depth < 100
                )
                SELECT 1 FROM up JOIN posts a ON a.id = up.id
                WHERE a.author_id = recipient AND a.visibility = 'direct' AND sender = ANY (a.mentions)) THEN
        choices := choices || np.for_private_mentions;
    END IF;
    IF 'drop' = ANY (choices) THEN
        RETURN 'drop';
    ELSIF 'filter' = ANY (choices) THEN
        RETURN 'filter';
    END IF;
    RETURN 'accept';
END;
$$;

-- The policy applied to every notification as it is written, whichever
-- statement writes it: a dropped one is deleted at once, a filtered one
-- is marked and filed in its sender's request. All within the statement,
-- so nothing is committed (or streamed: readers look the notification up
-- after the commit) as it was first written. Statement-level, with the
-- rows as a table that the streaming trigger makes PostgreSQL keep
-- anyway: a fan-out of home-timeline rows pays one call, not one per row.
CREATE FUNCTION notification_policy_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT n.id, n.identity_id, n.subject_id, n.post_id,
            notification_policy_verdict(n.identity_id, n.subject_id, n.type, n.post_id) AS verdict
        FROM inserted n
        WHERE n.type IN ('mention', 'reblog', 'follow', 'follow_request', 'favourite', 'quote') AND n.id IS NOT NULL
        AND EXISTS (SELECT 1 FROM notification_policies np WHERE np.identity_id = n.identity_id)
    LOOP
        IF r.verdict = 'drop' THEN
            DELETE FROM timeline_events WHERE identity_id = r.identity_id AND type <> 'post' AND id = r.id;
        ELSIF r.verdict = 'filter' THEN
            UPDATE timeline_events SET filtered = true WHERE identity_id = r.identity_id AND type <> 'post' AND id = r.id;
            INSERT INTO notification_requests (id, identity_id, from_id, last_post_id)
            VALUES (((extract(epoch FROM clock_timestamp()) * 1000)::bigint << 16) | (random() * 65535)::bigint,
                r.identity_id, r.subject_id, r.post_id)
            ON CONFLICT (identity_id, from_id) DO UPDATE
                SET last_post_id = coalesce(EXCLUDED.last_post_id, notification_requests.last_post_id), updated = now();
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;
CREATE TRIGGER timeline_events_notification_policy AFTER INSERT ON timeline_events
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION notification_policy_apply();
