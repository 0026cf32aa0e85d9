// Package model holds Pukeko's plain types and their state names.
package model

import (
	"crypto/rand"
	"encoding/binary"
	"sync/atomic"
	"time"
)

// ID is a 64-bit, time-ordered identifier in Mastodon's layout: milliseconds
// since the Unix epoch in the high bits and 16 low bits that tell apart IDs
// made in the same millisecond. Clients sort and paginate by it.
type ID int64

var idSequence atomic.Uint32

func init() {
	// A random start keeps two processes from walking the same sequence.
	var b [4]byte
	rand.Read(b[:])
	idSequence.Store(binary.BigEndian.Uint32(b[:]))
}

// NewID returns a new ID for the current time.
func NewID() ID { return IDAt(time.Now()) }

// IDAt returns a new ID for t.
func IDAt(t time.Time) ID {
	return ID(t.UnixMilli()<<16 | int64(idSequence.Add(1)&0xffff))
}

// Time returns the moment an ID was made, to the millisecond.
func (id ID) Time() time.Time { return time.UnixMilli(int64(id) >> 16) }
