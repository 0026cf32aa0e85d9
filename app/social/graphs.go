package social

import (
	"sync"
	"time"

	"pukeko/app/stator"
)

// graphSet holds the graphs, built once per Instance, so that behaviours
// can Move rows with the same declarations the runner uses.
type graphSet struct {
	deliveries, follows, blocks, inbox, identities, domains, posts *stator.Graph
	hashtags, postFetches                                          *stator.Graph
	interactions                                                   *stator.Graph
	polls                                                          *stator.Graph
}

var graphsOnce sync.Map // *Instance -> *graphSet

func (in *Instance) graphs() *graphSet {
	if gs, ok := graphsOnce.Load(in); ok {
		return gs.(*graphSet)
	}
	gs := &graphSet{
		deliveries:   in.deliveryGraph(),
		follows:      in.followGraph(),
		blocks:       in.blockGraph(),
		inbox:        in.inboxGraph(),
		identities:   in.identityGraph(),
		domains:      in.domainGraph(),
		posts:        in.postGraph(),
		hashtags:     in.hashtagGraph(),
		postFetches:  in.postFetchGraph(),
		interactions: in.interactionGraph(),
		polls:        in.pollGraph(),
	}
	actual, _ := graphsOnce.LoadOrStore(in, gs)
	return actual.(*graphSet)
}

// Graphs lists the Stator graphs of the federation core.
func (in *Instance) Graphs() []*stator.Graph {
	gs := in.graphs()
	all := []*stator.Graph{gs.inbox, gs.deliveries, gs.follows, gs.blocks, gs.identities, gs.domains, gs.posts}
	all = append(all, gs.hashtags, gs.postFetches)
	all = append(all, gs.interactions)
	all = append(all, gs.polls)
	all = append(all, in.quoteGraph())
	if in.Media != nil {
		all = append(all, in.Media.Graphs()...)
	}
	return all
}

// Identity states.
const (
	IdentityLocal    = "local"
	IdentityOutdated = "outdated"
	IdentityUpdated  = "updated"
	IdentityGone     = "gone"
)

// identityGraph keeps remote profiles fresh: an outdated one is fetched;
// an updated one becomes outdated after federation.identity_refresh. A
// fetch that fails is retried with backoff up to a day apart, forever: no
// dead end, a server that comes back gets its profiles refreshed.
func (in *Instance) identityGraph() *stator.Graph {
	g := stator.NewGraph("identities", "identities")
	g.State(IdentityLocal).Terminal()
	g.State(IdentityOutdated).Retry(stator.Backoff{Base: time.Minute, Max: 24 * time.Hour, Jitter: 0.2}).
		Handle(in.refreshIdentity, IdentityUpdated, IdentityGone)
	refresh := in.IdentityRefresh
	if refresh <= 0 {
		refresh = 24 * time.Hour
	}
	g.State(IdentityUpdated).TimesOutTo(IdentityOutdated, refresh)
	g.State(IdentityGone).Terminal()
	return g
}

// Domain states.
const (
	DomainLocal    = "local"
	DomainOutdated = "outdated"
	DomainUpdated  = "updated"
)

// domainGraph records what software other servers run (nodeinfo), daily;
// an unreachable server is retried with backoff up to a day apart.
func (in *Instance) domainGraph() *stator.Graph {
	g := stator.NewGraph("domains", "domains")
	g.State(DomainLocal).Terminal()
	g.State(DomainOutdated).Retry(stator.Backoff{Base: time.Minute, Max: 24 * time.Hour, Jitter: 0.2}).
		Handle(in.refreshDomain, DomainUpdated)
	g.State(DomainUpdated).TimesOutTo(DomainOutdated, 24*time.Hour)
	return g
}
