package httpsig

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
)

// TestPEMRoundTrip checks that what the encoders write the parsers read
// back, and that GenerateKey makes 2048-bit keys.
func TestPEMRoundTrip(t *testing.T) {
	t.Parallel()
	key := testRSAKey()
	if bits := key.N.BitLen(); bits != 2048 {
		t.Fatalf("GenerateKey made a %d-bit key", bits)
	}
	privPEM := EncodePrivateKeyPEM(key)
	if !strings.HasPrefix(privPEM, "-----BEGIN PRIVATE KEY-----\n") {
		t.Fatalf("private key PEM %q is not PKCS#8", privPEM)
	}
	priv, err := ParsePrivateKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !priv.Equal(key) {
		t.Fatal("private key changed in the round trip")
	}
	tests := []struct {
		name string
		key  interface{ Equal(crypto.PublicKey) bool }
	}{
		{"RSA", &key.PublicKey},
		{"Ed25519", testEd25519Key().Public().(ed25519.PublicKey)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := EncodePublicKeyPEM(tt.key)
			if !strings.HasPrefix(s, "-----BEGIN PUBLIC KEY-----\n") {
				t.Fatalf("public key PEM %q is not PKIX", s)
			}
			got, err := ParsePublicKeyPEM(s)
			if err != nil {
				t.Fatal(err)
			}
			if !tt.key.Equal(got) {
				t.Fatal("public key changed in the round trip")
			}
		})
	}
}

// TestParseKeyPEMForms covers the encodings found in the wild, including
// mislabelled blocks, and the inputs that must be refused.
func TestParseKeyPEMForms(t *testing.T) {
	t.Parallel()
	pub := &testRSAKey().PublicKey
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(pub)}))
	pkix := EncodePublicKeyPEM(pub)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKIXPublicKey(&ec.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pem, want string // want: "" for success, else part of the error
	}{
		{name: "PKCS#1 public key", pem: pkcs1},
		{name: "PKIX public key with surrounding whitespace", pem: "\n  " + pkix + "\n"},
		{name: "PKIX labelled RSA PUBLIC KEY", pem: strings.ReplaceAll(pkix, "PUBLIC KEY", "RSA PUBLIC KEY")},
		{name: "PKCS#1 labelled PUBLIC KEY", pem: strings.ReplaceAll(pkcs1, "RSA PUBLIC KEY", "PUBLIC KEY")},
		{name: "not PEM", pem: "ssh-rsa AAAA", want: "no PEM block"},
		{name: "certificate", pem: strings.ReplaceAll(pkix, "PUBLIC KEY", "CERTIFICATE"), want: "unexpected PEM type"},
		{name: "ECDSA key", pem: string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: ecDER})), want: "unsupported key type"},
		{name: "garbage in block", pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", want: "parse public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParsePublicKeyPEM(tt.pem)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !pub.Equal(k) {
				t.Fatal("parsed a different key")
			}
		})
	}
}

// TestParsePrivateKeyPEMForms covers PKCS#1 and PKCS#8 and the refusals.
func TestParsePrivateKeyPEMForms(t *testing.T) {
	t.Parallel()
	key := testRSAKey()
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	edDER, err := x509.MarshalPKCS8PrivateKey(testEd25519Key())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pem, want string
	}{
		{name: "PKCS#1", pem: pkcs1},
		{name: "PKCS#8", pem: EncodePrivateKeyPEM(key)},
		{name: "Ed25519 PKCS#8", pem: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER})), want: "unsupported key type"},
		{name: "public key", pem: EncodePublicKeyPEM(&key.PublicKey), want: "unexpected PEM type"},
		{name: "empty", pem: "", want: "no PEM block"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := ParsePrivateKeyPEM(tt.pem)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("error %v, want one mentioning %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !key.Equal(k) {
				t.Fatal("parsed a different key")
			}
		})
	}
}

// TestEncodeRefusals checks the documented "" results, which must not panic.
func TestEncodeRefusals(t *testing.T) {
	t.Parallel()
	var nilRSA *rsa.PublicKey
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		encode func() string
	}{
		{"nil private key", func() string { return EncodePrivateKeyPEM(nil) }},
		{"zero private key", func() string { return EncodePrivateKeyPEM(&rsa.PrivateKey{}) }},
		{"not a key", func() string { return EncodePublicKeyPEM("not a key") }},
		{"nil *rsa.PublicKey", func() string { return EncodePublicKeyPEM(nilRSA) }},
		{"zero *rsa.PublicKey", func() string { return EncodePublicKeyPEM(&rsa.PublicKey{}) }},
		{"short Ed25519 key", func() string { return EncodePublicKeyPEM(ed25519.PublicKey{1, 2}) }},
		{"ECDSA key", func() string { return EncodePublicKeyPEM(&ec.PublicKey) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if s := tt.encode(); s != "" {
				t.Fatalf("encoded as %q", s)
			}
		})
	}
}
