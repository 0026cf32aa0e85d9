package mastodon

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

// Scopes a stream needs, as Mastodon's streaming server asks: read:statuses
// for every stream but the notifications one, which needs
// read:notifications; a user stream carries notifications only when the
// token also allows those.
const (
	scopeStreamStatuses      = "read read:statuses"
	scopeStreamNotifications = "read read:notifications"
)

// Hub keys: what subscriptions are filed under, and events looked up by.
func userKey(id model.ID) string    { return "user:" + idStr(id) }
func listKey(id model.ID) string    { return "list:" + idStr(id) }
func directKey(id model.ID) string  { return "direct:" + idStr(id) }
func hashtagKey(tag string) string  { return "hashtag:" + tag }
func localTagKey(tag string) string { return "hashtag:local:" + tag }

const (
	keyPublic       = "public"
	keyPublicLocal  = "public:local"
	keyPublicRemote = "public:remote"
)

// streamRequest names a stream as clients ask for it: Mastodon's stream
// name ("user", "public:local:media", "hashtag", ...) with the tag or list
// it needs.
type streamRequest struct {
	stream string
	tag    string
	list   string
}

// name is Mastodon's name of the stream, sent with each of its WebSocket
// messages: the tag or list id follows the stream's own name.
func (req streamRequest) name() []string {
	switch req.stream {
	case "hashtag", "hashtag:local":
		return []string{req.stream, req.tag}
	case "list":
		return []string{"list", req.list}
	}
	return []string{req.stream}
}

// resolveStream checks that c may listen to a stream and describes the
// subscription; errors come with Mastodon's status and message.
func (a *API) resolveStream(ctx context.Context, c *streamClient, req streamRequest) (*subscription, *streamAuthError) {
	s := &subscription{client: c, name: req.name()}
	need := scopeStreamStatuses
	switch req.stream {
	case "user":
		s.key, s.identity = userKey(c.viewer.ID), c.viewer.ID
		s.notifications = c.scopes.AllowsAny(scopeStreamNotifications)
	case "user:notification":
		need = scopeStreamNotifications
		s.key, s.identity = userKey(c.viewer.ID), c.viewer.ID
		s.notifications, s.notificationsOnly = true, true
	case "public", "public:media":
		s.key = keyPublic
	case "public:local", "public:local:media":
		s.key, s.localOnly = keyPublicLocal, true
	case "public:remote", "public:remote:media":
		s.key = keyPublicRemote
	case "hashtag", "hashtag:local":
		tag := store.NormalizeHashtag(strings.TrimSpace(req.tag))
		if tag == "" {
			return nil, &streamAuthError{http.StatusBadRequest, "No tag for stream provided"}
		}
		s.key = hashtagKey(tag)
		if req.stream == "hashtag:local" {
			s.key, s.localOnly = localTagKey(tag), true
		}
	case "list":
		id, err := strconv.ParseInt(req.list, 10, 64)
		if err != nil || id <= 0 {
			return nil, &streamAuthError{http.StatusBadRequest, "No list for stream provided"}
		}
		if !c.scopes.AllowsAny(need) {
			break // the scope error first: it tells the client what to fix
		}
		owner, err := store.StreamListOwner(ctx, a.In.DB, model.ID(id))
		if err != nil {
			a.Logger.Error("streaming: looking up a list", "list", id, "error", err)
			return nil, &streamAuthError{http.StatusServiceUnavailable, "Temporarily unavailable"}
		}
		if owner != c.viewer.ID {
			return nil, &streamAuthError{http.StatusUnauthorized, "Not authorized to stream this list"}
		}
		s.key, s.list = listKey(model.ID(id)), model.ID(id)
	case "direct":
		// Accepted, but nothing is sent on it yet: its conversation events
		// are to be rendered as the conversations endpoints render them.
		s.key, s.identity = directKey(c.viewer.ID), c.viewer.ID
	default:
		return nil, &streamAuthError{http.StatusBadRequest, "Unknown stream type"}
	}
	if !c.scopes.AllowsAny(need) {
		return nil, &streamAuthError{http.StatusUnauthorized, "Access token does not have the required scopes"}
	}
	s.onlyMedia = strings.HasSuffix(req.stream, ":media")
	return s, nil
}
