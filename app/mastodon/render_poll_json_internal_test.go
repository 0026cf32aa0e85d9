package mastodon

import (
	"encoding/json"
	"testing"
)

// appendPoll and appendJSONString write what encoding/json writes.
func TestAppendPollMatchesEncodingJSON(t *testing.T) {
	one, exp, yes := 3, "2026-12-01T10:00:00.000Z", true
	polls := []*Poll{
		{ID: "1", Options: []PollOption{{Title: "a"}}, Emojis: []CustomEmoji{}},
		{ID: "2", ExpiresAt: &exp, Expired: true, Multiple: true, VotesCount: 7, VotersCount: &one,
			Options: []PollOption{{Title: `"quoted" <b>&amp;</b> \ tab	nl
 ctl` + "\x01 é \u2028 \xff", VotesCount: &one}, {Title: "🦜"}},
			Emojis: []CustomEmoji{}, Voted: &yes, OwnVotes: []int{0, 1}},
		{ID: "3", Options: []PollOption{}, Emojis: []CustomEmoji{}, Voted: &yes, OwnVotes: []int{}},
	}
	for _, p := range polls {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendPoll(nil, p); string(got) != string(want) {
			t.Errorf("poll %s:\n got %s\nwant %s", p.ID, got, want)
		}
	}
}
