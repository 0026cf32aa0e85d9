-- The followers who asked to be told of an account's posts are few: an
-- index of just them keeps "status" notifications of a post by an account
-- with thousands of followers from visiting every follow (and the
-- visibility rule of each).
CREATE INDEX follows_notify ON follows (target_id) WHERE notify AND state = 'accepted';
