package mastodon

import (
	"pukeko/app/store"
)

// Marker is Mastodon's Marker: where reading a timeline stopped.
type Marker struct {
	LastReadID string `json:"last_read_id"`
	Version    int    `json:"version"`
	UpdatedAt  string `json:"updated_at"`
}

func (a *API) registerMarkers(mux Mux) {
	a.route(mux, "GET /api/v1/markers", userToken, "read:statuses", a.getMarkers)
	a.route(mux, "POST /api/v1/markers", userToken, "write:statuses", a.saveMarkers)
}

var markerTimelines = []string{store.MarkerHome, store.MarkerNotifications}

func renderMarker(m *store.Marker) Marker {
	return Marker{LastReadID: idStr(m.LastReadID), Version: m.Version, UpdatedAt: ts(m.Updated)}
}

// getMarkers answers the markers of timeline[] (home, notifications);
// none asked, an empty object, as Mastodon answers.
func (a *API) getMarkers(c *call) {
	var asked []string
	for _, t := range c.params.list("timeline") {
		for _, known := range markerTimelines {
			if t == known {
				asked = append(asked, t)
			}
		}
	}
	found, err := store.Markers(c.ctx(), a.In.DB, c.viewer.ID, asked)
	if err != nil {
		a.fail(c, err)
		return
	}
	out := map[string]Marker{}
	for t, m := range found {
		out[t] = renderMarker(m)
	}
	c.ok(out)
}

// saveMarkers sets home[last_read_id] and notifications[last_read_id],
// and answers the markers saved.
func (a *API) saveMarkers(c *call) {
	type change struct {
		timeline string
		id       string
	}
	var changes []change
	for _, t := range markerTimelines {
		if v := c.params.strPtr(t + "[last_read_id]"); v != nil {
			changes = append(changes, change{t, *v})
		}
	}
	for _, ch := range changes {
		if _, ok := idFromString(ch.id); !ok {
			c.invalid("Last read id is not a number")
			return
		}
	}
	out := map[string]Marker{}
	for _, ch := range changes {
		id, _ := idFromString(ch.id)
		m, err := a.In.SaveMarker(c.ctx(), c.viewer, ch.timeline, id)
		if err != nil {
			a.fail(c, err)
			return
		}
		out[ch.timeline] = renderMarker(m)
	}
	c.ok(out)
}
