package node

import (
	"context"
	"time"

	"pukeko/app/oauth"
	"pukeko/app/stator"
)

// housekeepingInterval is how often the periodic clean-ups run.
const housekeepingInterval = time.Hour

// housekeepingGraph runs periodic clean-ups from the one housekeeping row:
// whichever process claims it does the work, then it waits an interval.
func housekeepingGraph(o *oauth.Server) *stator.Graph {
	g := stator.NewGraph("housekeeping", "housekeeping")
	g.State("idle").Handle(func(ctx context.Context, it stator.Item) (string, error) {
		if err := o.Cleanup(ctx); err != nil {
			return "", err
		}
		return "", stator.Defer(housekeepingInterval)
	}, "idle")
	return g
}
