// Package httpsig signs outgoing and verifies incoming HTTP requests for
// server-to-server ActivityPub delivery.
//
// Two signature formats are in use on the fediverse:
//
//   - draft-cavage-http-signatures-12, which nearly every implementation
//     (Mastodon, GoToSocial, Misskey, Pleroma, ...) sends and accepts. It is
//     what SignRequest produces.
//   - RFC 9421 HTTP Message Signatures, its standardised successor, which
//     newer implementations have begun to send. Verify accepts it too.
//
// Verify detects the format, rebuilds the signed text, checks the body
// digest and the clock skew, resolves the signer's public key through a
// caller-supplied KeyFunc (refetching once so that rotated keys work) and
// checks the signature. Every verification failure wraps ErrUnverified so
// that handlers can answer 401 without inspecting the cause.
package httpsig
