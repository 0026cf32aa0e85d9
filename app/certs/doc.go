// Package certs is Pukeko's TLS layer. A Manager gives the HTTPS listener
// its tls.Config and the plain-HTTP listener its handler, in one of two
// modes:
//
//   - auto: certificates from an ACME CA (Let's Encrypt by default) through
//     certmagic, obtained on demand at the first handshake for a name the
//     caller allows (the configured domains), validated by HTTP-01 on the
//     plain-HTTP listener or TLS-ALPN-01 on the HTTPS one, renewed in the
//     background, and kept on disk or in PostgreSQL (shared by every node,
//     so one node issues and all serve).
//   - files: PEM files written by the administrator (one pair, and/or one
//     pair per domain in a directory), reloaded when they change.
//
// Mode off (a TLS-terminating proxy in front) needs no Manager.
package certs
