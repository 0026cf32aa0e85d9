package ap

import "time"

// activityContext is the context of the activities Pukeko sends.
const activityContext = "https://www.w3.org/ns/activitystreams"

// NewActivity renders an activity of type typ by actor about object (a URI
// or an embedded object), with an id.
func NewActivity(typ, id, actor string, object any) map[string]any {
	return map[string]any{
		"@context": activityContext,
		"id":       id,
		"type":     typ,
		"actor":    actor,
		"object":   object,
	}
}

// Follow renders a Follow of target by actor.
func Follow(id, actor, target string) map[string]any {
	a := NewActivity("Follow", id, actor, target)
	a["to"] = []string{target}
	return a
}

// Respond renders an Accept or Reject (typ) by actor of a Follow.
func Respond(typ, id, actor string, follow map[string]any) map[string]any {
	delete(follow, "@context")
	a := NewActivity(typ, id, actor, follow)
	if f, ok := follow["actor"].(string); ok {
		a["to"] = []string{f}
	}
	return a
}

// Undo renders an Undo by actor of an earlier activity (embedded).
func Undo(id, actor string, activity map[string]any) map[string]any {
	delete(activity, "@context")
	a := NewActivity("Undo", id, actor, activity)
	if to, ok := activity["to"]; ok {
		a["to"] = to
	}
	return a
}

// Timestamp renders t as ActivityStreams expects.
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
