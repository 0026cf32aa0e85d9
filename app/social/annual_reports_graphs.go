package social

import (
	"sync"

	"pukeko/app/stator"
)

// refreshGraphSet holds the graphs of the work apps follow as an
// AsyncRefresh (annual reports), built once per Instance so that
// behaviours Move rows with the declarations the runner uses.
type refreshGraphSet struct {
	annualReports *stator.Graph
}

var refreshGraphsOnce sync.Map // *Instance -> *refreshGraphSet

func (in *Instance) ownGraphs() *refreshGraphSet {
	if gs, ok := refreshGraphsOnce.Load(in); ok {
		return gs.(*refreshGraphSet)
	}
	gs := &refreshGraphSet{annualReports: in.newAnnualReportGraph()}
	actual, _ := refreshGraphsOnce.LoadOrStore(in, gs)
	return actual.(*refreshGraphSet)
}

// RefreshGraphs lists the graphs of annual reports, for the Stator runner.
func (in *Instance) RefreshGraphs() []*stator.Graph {
	gs := in.ownGraphs()
	return []*stator.Graph{gs.annualReports}
}
