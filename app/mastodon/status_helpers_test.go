package mastodon_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"pukeko/app/model"
	"pukeko/app/social"
	"pukeko/app/store"
)

// Helpers of the tests of status actions, notifications, search and the
// rest of their group.

// followNow makes source follow target and waits until it is accepted.
func followNow(t testing.TB, s *server, source, target *model.Identity) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Instance.Follow(ctx, source, target); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the follow to be accepted", func() bool {
		f, err := store.FollowBetween(ctx, s.DB, source.ID, target.ID)
		if err != nil {
			t.Fatal(err)
		}
		return f != nil && f.State == social.FollowAccepted
	})
}

// usernamesOf decodes a list of accounts and returns their usernames.
func usernamesOf(t *testing.T, data []byte) []string {
	t.Helper()
	return fieldOf(t, data, "username")
}

// fieldOf decodes a list of objects and returns one field of each.
func fieldOf(t *testing.T, data []byte, field string) []string {
	t.Helper()
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatalf("not a list: %v: %s", err, data)
	}
	out := make([]string, len(list))
	for k, e := range list {
		out[k], _ = e[field].(string)
	}
	return out
}

// linkQuery returns a query parameter of the rel link of a Link header.
func linkQuery(t *testing.T, header, rel, param string) string {
	t.Helper()
	for _, part := range strings.Split(header, ",") {
		if !strings.Contains(part, `rel="`+rel+`"`) {
			continue
		}
		start, end := strings.Index(part, "<"), strings.Index(part, ">")
		u, err := url.Parse(part[start+1 : end])
		if err != nil {
			t.Fatal(err)
		}
		return u.Query().Get(param)
	}
	t.Fatalf("no %s link in %q", rel, header)
	return ""
}

// accountID is the client's identity id as the API writes it.
func (c *client) accountID() string { return idStr(c.identity.ID) }

func idStr(id model.ID) string { return strconv.FormatInt(int64(id), 10) }
