package ap

import (
	"strings"
	"time"

	"pukeko/app/model"
)

// RenderPoll adds a poll to a rendered Question, as Mastodon writes it:
// oneOf (one choice) or anyOf (several) of Notes named by the options,
// each with its votes as replies.totalItems; endTime, closed and
// votersCount.
func RenderPoll(note map[string]any, p *model.Poll) {
	options := make([]any, len(p.Options))
	for k, name := range p.Options {
		n := 0
		if k < len(p.Counts) {
			n = p.Counts[k]
		}
		options[k] = map[string]any{
			"type":    "Note",
			"name":    name,
			"replies": map[string]any{"type": "Collection", "totalItems": n},
		}
	}
	if p.Multiple {
		note["anyOf"] = options
	} else {
		note["oneOf"] = options
	}
	note["type"] = "Question"
	if p.Expires != nil {
		note["endTime"] = Timestamp(*p.Expires)
	}
	if p.Closed != nil {
		note["closed"] = Timestamp(*p.Closed)
	}
	note["votersCount"] = p.VotersCount
}

// ParsePoll reads the poll of a Question from another server: its options
// with their counts (replies.totalItems), whether several may be chosen
// (anyOf), endTime, closed and votersCount (the sum of the counts of a
// one-choice poll when missing). It reports false when the object holds
// no poll.
func ParsePoll(o Object) (*model.Poll, bool) {
	if o.Type() != "Question" {
		return nil, false
	}
	p := &model.Poll{}
	opts := o.Objects("oneOf")
	if len(opts) == 0 {
		opts = o.Objects("anyOf")
		p.Multiple = len(opts) > 0
	}
	total := 0
	for _, opt := range opts {
		name := strings.TrimSpace(opt.String("name"))
		if name == "" {
			continue
		}
		n := 0
		if r := opt.Embedded("replies"); r != nil {
			n = count(r["totalItems"])
		}
		p.Options = append(p.Options, name)
		p.Counts = append(p.Counts, n)
		total += n
	}
	if len(p.Options) == 0 {
		return nil, false
	}
	if s := o.String("endTime"); s != "" {
		t := parseTime(s)
		p.Expires = &t
	}
	if s := o.String("closed"); s != "" {
		t := parseTime(s)
		p.Closed = &t
	} else if o.Bool("closed") {
		t := time.Now()
		if p.Expires != nil && p.Expires.Before(t) {
			t = *p.Expires
		}
		p.Closed = &t
	}
	if v, ok := o["votersCount"]; ok {
		p.VotersCount = count(v)
	} else if !p.Multiple {
		p.VotersCount = total
	}
	return p, true
}

// count reads a non-negative JSON number.
func count(v any) int {
	if f, ok := v.(float64); ok && f > 0 && f < 1<<31 {
		return int(f)
	}
	return 0
}

// IsVote reports whether a post object is a poll vote, as Mastodon sends
// them: a Note with a name, no content, in reply to the poll.
func IsVote(o Object) bool {
	return o.Type() == "Note" && strings.TrimSpace(o.String("name")) != "" && strings.TrimSpace(o.String("content")) == "" &&
		o.Ref("inReplyTo") != ""
}

// VoteActivity renders the Create of one choice of a vote (noteID the
// vote's id): a Note named by the option, in reply to the poll, addressed
// to its author only.
func VoteActivity(noteID, voter, question, author, option string) map[string]any {
	note := map[string]any{
		"id":           noteID,
		"type":         "Note",
		"name":         option,
		"attributedTo": voter,
		"inReplyTo":    question,
		"to":           []string{author},
	}
	a := NewActivity("Create", noteID+"/activity", voter, note)
	a["to"] = []string{author}
	return a
}
