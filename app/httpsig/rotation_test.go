package httpsig

import (
	"context"
	"crypto"
	"slices"
	"testing"
)

// TestVerifyKeyRotation checks that Verify asks for a refreshed key once,
// and only once, when the first key fails, for both formats.
func TestVerifyKeyRotation(t *testing.T) {
	t.Parallel()
	right, old := &testRSAKey().PublicKey, &testOtherRSAKey().PublicKey
	edRight, edOld := testEd25519Key().Public(), testOtherEd25519Key().Public()
	tests := []struct {
		name          string
		fixture       func(*testing.T) *fixture
		first, second crypto.PublicKey
		wantCalls     []bool // refresh flag of each KeyFunc call
		wantOK        bool
	}{
		{"right key first", cavageFixture, right, old, []bool{false}, true},
		{"rotated key: old then right", cavageFixture, old, right, []bool{false, true}, true},
		{"wrong key both times", cavageFixture, old, old, []bool{false, true}, false},
		{"key type changed on rotation", cavageFixture, edRight, right, []bool{false, true}, true},
		{"RFC 9421 rotated key", rfc9421Fixture, old, edRight, []bool{false, true}, true},
		{"RFC 9421 wrong key both times", rfc9421Fixture, edOld, edOld, []bool{false, true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := tt.fixture(t)
			var calls keyCalls
			_, err := Verify(context.Background(), f.r, f.body, calls.keyFunc(tt.first, tt.second), f.opts)
			if tt.wantOK && err != nil {
				t.Fatal(err)
			}
			if !tt.wantOK {
				wantUnverified(t, err, "signature does not match")
			}
			if got := calls.get(); !slices.Equal(got, tt.wantCalls) {
				t.Fatalf("KeyFunc calls (refresh flags) %v, want %v", got, tt.wantCalls)
			}
		})
	}
}

// TestVerifyNoKeyFetchForJunk checks that requests failing the cheap checks
// never reach the KeyFunc, which would fetch keys from remote servers.
func TestVerifyNoKeyFetchForJunk(t *testing.T) {
	t.Parallel()
	f := cavageFixture(t)
	f.body = []byte("tampered")
	var calls keyCalls
	_, err := Verify(context.Background(), f.r, f.body, calls.keyFunc(nil, nil), f.opts)
	wantUnverified(t, err, "digest mismatch")
	if n := len(calls.get()); n != 0 {
		t.Fatalf("KeyFunc called %d times", n)
	}
}
