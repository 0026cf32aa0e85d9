package httpsig

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"slices"
	"strings"
	"testing"
)

// cavageVectorTime is the Date of the draft-cavage Appendix C request.
const cavageVectorTime = 1388957500 // Sun, 05 Jan 2014 21:31:40 GMT

// TestCavageAppendixCSigningStrings rebuilds the signing strings printed in
// draft-cavage-http-signatures-12 Appendix C, checks the published
// signatures against them with the published public key, and re-signs them
// with the published private key (PKCS1-v1_5 is deterministic, so the
// result must be the published signature byte for byte).
func TestCavageAppendixCSigningStrings(t *testing.T) {
	t.Parallel()
	pub := publicKeyFile(t, "cavage/public.pem")
	priv, err := ParsePrivateKeyPEM(readTestdata(t, "cavage/private.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sig, signingString string
	}{
		{"C.1 default", "cavage/c1-default.sig", "cavage/c1-default.signing-string"},
		{"C.2 basic", "cavage/c2-basic.sig", "cavage/c2-basic.signing-string"},
		{"C.3 all headers", "cavage/c3-as-signed.sig", "cavage/c3-all-headers.signing-string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, _ := readRequest(t, "cavage/request.http")
			p, err := parseCavageParams(strings.TrimSpace(readTestdata(t, tt.sig)))
			if err != nil {
				t.Fatal(err)
			}
			msg, err := cavageSigningString(r, p)
			if err != nil {
				t.Fatal(err)
			}
			if want := readTestdata(t, tt.signingString); msg != want {
				t.Fatalf("signing string\n%s\nwant\n%s", msg, want)
			}
			if _, err := verifyCavageSignature(pub, p.algorithm, []byte(msg), p.signature); err != nil {
				t.Fatalf("published signature: %v", err)
			}
			sum := sha256.Sum256([]byte(msg))
			sig, err := rsa.SignPKCS1v15(nil, priv, crypto.SHA256, sum[:])
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(sig, p.signature) {
				t.Fatal("signing with the published private key does not reproduce the published signature")
			}
		})
	}
}

// TestVerifyCavageAppendixC runs the Appendix C requests through Verify.
// C.1 covers only date, so the coverage policy must refuse it, and C.3 as
// published combines (created) with rsa-sha256, which section 2.3 forbids.
func TestVerifyCavageAppendixC(t *testing.T) {
	t.Parallel()
	keys := staticKeys(map[string]crypto.PublicKey{"Test": publicKeyFile(t, "cavage/public.pem")})
	basic := []string{"(request-target)", "host", "date"}
	all := []string{"(request-target)", "host", "date", "content-type", "digest", "content-length"}
	tests := []struct {
		name          string
		sig           string
		authorization bool // send in Authorization instead of Signature
		requireDigest bool
		wantCovered   []string
		wantErr       string
	}{
		{name: "C.2 basic, Signature header", sig: "cavage/c2-basic.sig", wantCovered: basic},
		{name: "C.2 basic, Authorization header", sig: "cavage/c2-basic.sig", authorization: true, wantCovered: basic},
		{name: "C.3 as signed, digest required", sig: "cavage/c3-as-signed.sig", requireDigest: true, wantCovered: all},
		{name: "C.3 as signed, Authorization header", sig: "cavage/c3-as-signed.sig", authorization: true, wantCovered: all},
		{name: "C.1 default covers only date", sig: "cavage/c1-default.sig", wantErr: "(request-target) not covered"},
		{name: "C.2 basic, digest required", sig: "cavage/c2-basic.sig", requireDigest: true, wantErr: "digest not covered"},
		{name: "C.3 as published", sig: "cavage/c3-all-headers.sig", wantErr: "(created) not allowed with algorithm rsa-sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, body := readRequest(t, "cavage/request.http")
			sig := strings.TrimSpace(readTestdata(t, tt.sig))
			if tt.authorization {
				r.Header.Set("Authorization", "Signature "+sig)
			} else {
				r.Header.Set("Signature", sig)
			}
			v, err := Verify(context.Background(), r, body, keys, Options{Now: at(cavageVectorTime + 60), RequireDigest: tt.requireDigest})
			if tt.wantErr != "" {
				wantUnverified(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.KeyID != "Test" || v.Scheme != SchemeDraftCavage || v.Algorithm != AlgRSASHA256 || !slices.Equal(v.Covered, tt.wantCovered) {
				t.Fatalf("got %+v", v)
			}
		})
	}
}
