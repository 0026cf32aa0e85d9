// Package social holds Pukeko's behaviours: creating identities, following,
// blocking, processing what arrives in inboxes, keeping remote profiles
// fresh. Its Stator graphs live here too; the engine in app/stator knows no
// model.
package social
