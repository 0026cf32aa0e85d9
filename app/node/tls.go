package node

import (
	"context"
	"slices"

	"pukeko/app/certs"
	"pukeko/app/store"
)

// newCertManager builds the TLS manager for modes auto and files: names are
// allowed when they are configured domains (or main_domain, where the
// server's own actor lives).
func (n *Node) newCertManager(ctx context.Context) (*certs.Manager, error) {
	cfg := n.Config
	main := cfg.MainDomain
	return certs.New(ctx, certs.Options{
		Mode:        cfg.Server.TLS.Mode,
		Email:       cfg.Server.TLS.Email,
		CA:          cfg.Server.TLS.CA,
		CARoot:      cfg.Server.TLS.CARoot,
		Storage:     cfg.Server.TLS.Storage,
		DataDir:     cfg.DataDir,
		DB:          n.DB,
		HTTPListen:  cfg.Server.TLS.HTTPListen,
		HTTPSListen: cfg.Server.TLS.HTTPSListen,
		CertFile:    cfg.Server.TLS.CertFile,
		KeyFile:     cfg.Server.TLS.KeyFile,
		CertsDir:    cfg.Server.TLS.CertsDir,
		Allowed: func(ctx context.Context, name string) (bool, error) {
			if name == main {
				return true, nil
			}
			return store.IsLocalName(ctx, n.DB, name)
		},
		Preload: func(ctx context.Context) ([]string, error) {
			names, err := store.LocalNames(ctx, n.DB)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(names, main) {
				names = append(names, main)
			}
			return names, nil
		},
		Logger: n.Logger.With("component", "tls"),
	})
}
