package node

import (
	"context"
	"net"
)

// Listeners are the sockets a node serves on, bound by the caller (while
// still root, for ports below 1024).
type Listeners struct {
	// Plain serves the site over plain HTTP (tls mode off: behind a proxy).
	Plain net.Listener
}

// Run serves until ctx ends, running the Stator runner beside the web
// server; the first to fail stops the other. It returns once both stopped.
func (n *Node) Run(ctx context.Context, ls Listeners) error {
	parts := []func(context.Context) error{}
	if ls.Plain != nil {
		parts = append(parts, func(ctx context.Context) error { return n.Server.Serve(ctx, ls.Plain) })
	}
	if n.Runner != nil {
		parts = append(parts, n.Runner.Run)
	}
	return RunTogether(ctx, parts...)
}

// RunTogether runs parts until ctx ends or one of them fails, which stops
// the others too; it returns the first error once all have returned.
func RunTogether(ctx context.Context, parts ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(parts))
	for _, part := range parts {
		go func() { errs <- part(ctx) }()
	}
	var first error
	for range parts {
		if err := <-errs; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}
