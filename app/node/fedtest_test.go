package node_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"pukeko/app/model"
	"pukeko/app/node"
	"pukeko/app/node/nodetest"
	"pukeko/app/stator"
	"pukeko/app/store"
)

// fedNode is one Pukeko instance of a federation test, serving one domain
// on its own loopback port and database.
type fedNode struct {
	*node.Node
	domain string
	addr   string
	user   *model.User
}

// startFederation starts one node per domain, each resolving the others'
// names to their loopback ports, speaking plain HTTP (public_scheme http).
func startFederation(t *testing.T, domains ...string) []*fedNode {
	t.Helper()
	return startFederationWith(t, fedOptions{}, domains...)
}

// fedOptions adjusts the nodes of startFederationWith.
type fedOptions struct {
	// resolve adds name -> host:port entries to every node's
	// federation.resolve: fake peers (httptest servers, closed ports).
	resolve map[string]string
	// aliases resolve more names to a node's own port: "c.test" -> "a.test"
	// for a second domain served by the node of a.test.
	aliases map[string]string
	// env adds PUKEKO_* variables to the node of a domain (later entries
	// win over the defaults).
	env map[string][]string
	// graphs, when set, adjusts every node's Stator graphs before they run.
	graphs func(all []*stator.Graph) ([]*stator.Graph, error)
}

// startFederationWith is startFederation with extra names, environment or
// graph changes.
func startFederationWith(t *testing.T, opts fedOptions, domains ...string) []*fedNode {
	t.Helper()
	listeners := map[string]net.Listener{}
	var resolve []string
	for _, d := range domains {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
		listeners[d] = ln
		resolve = append(resolve, d+"="+ln.Addr().String())
	}
	for name, node := range opts.aliases {
		ln, ok := listeners[node]
		if !ok {
			t.Fatalf("alias %s: no node %s", name, node)
		}
		resolve = append(resolve, name+"="+ln.Addr().String())
	}
	for name, addr := range opts.resolve {
		resolve = append(resolve, name+"="+addr)
	}
	var nodes []*fedNode
	for _, d := range domains {
		env := nodetest.Env(t, d, resolve, opts.env[d]...)
		nodes = append(nodes, bootNode(t, d, env, node.Options{Stator: true, Graphs: opts.graphs}, node.Listeners{Plain: listeners[d]}))
	}
	return nodes
}

// bootNode configures a node for domain from env, gives it its domain and
// an owner user, and runs it on ls until the test ends.
func bootNode(t *testing.T, d string, env []string, opts node.Options, ls node.Listeners) *fedNode {
	t.Helper()
	n := nodetest.Boot(t, d, env, opts, ls)
	u := &model.User{Email: "owner@" + d, PasswordHash: "x"}
	if err := store.CreateUser(context.Background(), n.DB, u); err != nil {
		t.Fatal(err)
	}
	addr := ""
	for _, ln := range []net.Listener{ls.Plain, ls.HTTPS} {
		if ln != nil {
			addr = ln.Addr().String()
			break
		}
	}
	return &fedNode{Node: n, domain: d, addr: addr, user: u}
}

// identity creates username on the node's domain.
func (f *fedNode) identity(t *testing.T, username string, locked bool) *model.Identity {
	t.Helper()
	i, err := f.Instance.CreateIdentity(context.Background(), f.user.ID, username, f.domain, strings.ToUpper(username[:1])+username[1:])
	if err != nil {
		t.Fatal(err)
	}
	if locked {
		if _, err := f.DB.Exec(context.Background(), "UPDATE identities SET locked = true WHERE id = $1", i.ID); err != nil {
			t.Fatal(err)
		}
		i.Locked = true
	}
	return i
}

// resolve finds handle from this node (webfinger and fetch when remote).
func (f *fedNode) resolve(t *testing.T, handle string) *model.Identity {
	t.Helper()
	i, err := f.Instance.ResolveHandle(context.Background(), handle)
	if err != nil || i == nil {
		t.Fatalf("%s resolving %s: %v", f.domain, handle, err)
	}
	return i
}

// followState reads the state of the follow source->target on this node
// ("" when there is none).
func (f *fedNode) followState(t *testing.T, sourceURI, targetURI string) string {
	t.Helper()
	var state string
	err := f.DB.QueryRow(context.Background(), `SELECT f.state FROM follows f
		JOIN identities s ON s.id = f.source_id JOIN identities t ON t.id = f.target_id
		WHERE s.uri = $1 AND t.uri = $2`, sourceURI, targetURI).Scan(&state)
	if err != nil && !strings.Contains(err.Error(), "no rows") {
		t.Fatal(err)
	}
	return state
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func waitFollow(t *testing.T, n *fedNode, source, target *model.Identity, want string) {
	t.Helper()
	waitUntil(t, fmt.Sprintf("%s: follow %s -> %s to be %q", n.domain, source.Handle(), target.Handle(), want), func() bool {
		return n.followState(t, source.URI, target.URI) == want
	})
}

// aliceBobCarol starts a.test and b.test with the cast most tests use:
// alice on a, bob and carol on b, none of them locked.
func aliceBobCarol(t *testing.T) (a, b *fedNode, alice, bob, carol *model.Identity) {
	t.Helper()
	nodes := startFederation(t, "a.test", "b.test")
	a, b = nodes[0], nodes[1]
	return a, b, a.identity(t, "alice", false), b.identity(t, "bob", false), b.identity(t, "carol", false)
}
