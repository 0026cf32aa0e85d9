package httpsig

import (
	"slices"
	"strings"
	"testing"
)

// TestParseCavageParams covers the parameter syntax variations senders use.
func TestParseCavageParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in    string
		wantKeyID   string
		wantAlg     string
		wantHeaders []string
		wantCreated string
		wantExpires string
	}{
		{name: "no headers means date", in: `keyId="k",algorithm="rsa-sha256",signature="AQ=="`,
			wantKeyID: "k", wantAlg: "rsa-sha256", wantHeaders: []string{"date"}},
		{name: "names case-insensitive, spaces after commas", in: `KeyId="k", Algorithm="RSA-SHA256", Headers="(Request-Target) Host", Signature="AQ=="`,
			wantKeyID: "k", wantAlg: "rsa-sha256", wantHeaders: []string{"(request-target)", "host"}},
		{name: "unquoted created and decimal expires", in: `keyId="k",created=1402170695, expires=1402170699.25,headers="(created)",signature="AQ=="`,
			wantKeyID: "k", wantHeaders: []string{"(created)"}, wantCreated: "1402170695", wantExpires: "1402170699.25"},
		{name: "escaped quote and comma in keyId", in: `keyId="a\"b,c",signature="AQ=="`,
			wantKeyID: `a"b,c`, wantHeaders: []string{"date"}},
		{name: "unknown parameter ignored", in: `keyId="k",nonce="x",signature="AQ=="`,
			wantKeyID: "k", wantHeaders: []string{"date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := parseCavageParams(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.keyID != tt.wantKeyID || p.algorithm != tt.wantAlg || !slices.Equal(p.headers, tt.wantHeaders) ||
				p.created != tt.wantCreated || p.expires != tt.wantExpires || string(p.signature) != "\x01" {
				t.Fatalf("got %+v", p)
			}
		})
	}
}

// TestParseCavageParamsErrors checks that malformed parameters are refused.
func TestParseCavageParamsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"no keyId", `signature="AQ=="`, "missing keyId"},
		{"no signature", `keyId="k"`, "missing signature"},
		{"bad base64", `keyId="k",signature="!!"`, "malformed signature"},
		{"empty headers", `keyId="k",headers=" ",signature="AQ=="`, "empty headers"},
		{"created not an integer", `keyId="k",created=1.5,signature="AQ=="`, "malformed created"},
		{"expires NaN", `keyId="k",expires=NaN,signature="AQ=="`, "malformed expires"},
		{"expires exponent", `keyId="k",expires=1e12,signature="AQ=="`, "malformed expires"},
		{"duplicate, differing case", `keyId="k",keyid="j",signature="AQ=="`, "duplicate"},
		{"unterminated quote", `signature="AQ==",keyId="k`, "unterminated"},
		{"no equals sign", `keyId`, "malformed signature parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseCavageParams(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
