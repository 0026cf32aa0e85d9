package httpsig

import (
	"errors"
	"testing"
)

// TestCheckDigest covers the Digest header forms senders use.
func TestCheckDigest(t *testing.T) {
	t.Parallel()
	body := []byte(`{"hello": "world"}`)
	const (
		sha256OK = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
		sha512OK = "WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew=="
	)
	tests := []struct {
		name, value string
		want        error
	}{
		{"SHA-256", "SHA-256=" + sha256OK, nil},
		{"lower-case name", "sha-256=" + sha256OK, nil},
		{"SHA-512", "SHA-512=" + sha512OK, nil},
		{"both, with an unknown one", "MD5=xyz, SHA-256=" + sha256OK + ",SHA-512=" + sha512OK, nil},
		{"one of two wrong", "SHA-256=" + sha256OK + ", SHA-512=" + sha256OK, errDigestMismatch},
		{"wrong", "SHA-256=" + sha512OK, errDigestMismatch},
		{"only unknown algorithms", "MD5=rL0Y20zC+Fzt72VPzMSk2A==", errDigestUnsupported},
		{"no equals sign", "SHA-256", errDigestMalformed},
		{"bad base64", "SHA-256=%%%", errDigestMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := checkDigest(tt.value, body); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// TestCheckContentDigest covers RFC 9530 Content-Digest values.
func TestCheckContentDigest(t *testing.T) {
	t.Parallel()
	body := []byte(`{"hello": "world"}`)
	tests := []struct {
		name, value string
		want        error
	}{
		{"RFC 9421 test request", "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:", nil},
		{"sha-256", "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", nil},
		{"wrong", "sha-256=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:", errDigestMismatch},
		{"unknown algorithm only", "md5=:rL0Y20zC+Fzt72VPzMSk2A==:", errDigestUnsupported},
		{"token instead of bytes", "sha-256=abc", errDigestMalformed},
		{"not a dictionary", "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", errDigestMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := checkContentDigest(tt.value, body); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}
