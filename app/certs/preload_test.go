package certs

import (
	"context"
	"errors"
	"testing"
	"time"

	"pukeko/app/testkit"
)

// Preloaded names get their certificate at start, without a handshake
// asking: here Allowed refuses everything, so on-demand issuance cannot be
// what serves it.
func TestAutoPreload(t *testing.T) {
	t.Parallel()
	const name = "pre.test"
	httpLn, httpsLn := listen(t, "127.0.0.2"), listen(t, "127.0.0.2")
	pebble := testkit.StartPebble(t, map[string]string{name: "127.0.0.2"}, port(httpLn), port(httpsLn))
	node := startAutoNodeOn(t, httpLn, httpsLn, Options{
		CA: pebble.DirectoryURL, CARoot: pebble.CARootFile,
		Storage: "file", DataDir: t.TempDir(),
		Allowed: allowOnly(),
		Preload: func(context.Context) ([]string, error) { return []string{name}, nil },
	})
	eventually(t, 15*time.Second, func() error {
		if pebble.Orders() == 0 {
			return errors.New("no order yet")
		}
		_, err := handshake(node.httpsAddr, name, pebble.IssuerRoots)
		return err
	})
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{
		{Mode: "off"},
		{Mode: "auto", Storage: "postgres"},         // no database
		{Mode: "auto", Storage: "file"},             // no data directory
		{Mode: "auto", Storage: "s3", DataDir: "/"}, // unknown storage
		{Mode: "auto", Storage: "file", DataDir: t.TempDir(), CARoot: "/nonexistent/root.pem"},
		{Mode: "files"}, // nothing to serve
	} {
		if m, err := New(context.Background(), opts); err == nil {
			m.Close()
			t.Errorf("New(%+v) succeeded", opts)
		}
	}
}
