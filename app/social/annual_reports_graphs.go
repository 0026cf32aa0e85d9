package social

import (
	"sync"

	"pukeko/app/stator"
)

// refreshGraphSet holds the graphs of the work apps follow as an
// AsyncRefresh (annual reports, context refreshes), built once per
// Instance so that behaviours Move rows with the declarations the runner
// uses.
type refreshGraphSet struct {
	annualReports, contextRefreshes *stator.Graph
}

var refreshGraphsOnce sync.Map // *Instance -> *refreshGraphSet

func (in *Instance) ownGraphs() *refreshGraphSet {
	if gs, ok := refreshGraphsOnce.Load(in); ok {
		return gs.(*refreshGraphSet)
	}
	gs := &refreshGraphSet{annualReports: in.newAnnualReportGraph(), contextRefreshes: in.newContextRefreshGraph()}
	actual, _ := refreshGraphsOnce.LoadOrStore(in, gs)
	return actual.(*refreshGraphSet)
}

// RefreshGraphs lists the graphs of annual reports and context refreshes,
// for the Stator runner.
func (in *Instance) RefreshGraphs() []*stator.Graph {
	gs := in.ownGraphs()
	return []*stator.Graph{gs.annualReports, gs.contextRefreshes}
}
