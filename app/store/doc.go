// Package store holds all of Pukeko's SQL, one file per table family. It
// returns model types and wraps errors with what was being done.
package store
