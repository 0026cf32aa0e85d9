package httpsig

import (
	"bytes"
	"strings"
	"testing"
)

// TestParseDictionaryInnerListRoundTrip parses Signature-Input-like members
// and checks that serialisation gives the canonical form, which is what
// the @signature-params line must contain.
func TestParseDictionaryInnerListRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, key, want string
	}{
		{"RFC example", `sig1=("@method" "@path");created=1618884473;keyid="test-key-rsa"`, "sig1",
			`("@method" "@path");created=1618884473;keyid="test-key-rsa"`},
		{"empty list", `a=();created=1`, "a", `();created=1`},
		{"extra spaces are not canonical", `a=(  "x"   "y" );  created=1`, "a", `("x" "y");created=1`},
		{"all bare item types", `a=("s";k;t=tok/x:y;d=01.50;n=-7;b=:AQI=:;f=?0;e="q\"\\")`, "a",
			`("s";k;t=tok/x:y;d=1.5;n=-7;b=:AQI=:;f=?0;e="q\"\\")`},
		{"second member, OWS around comma", "x=1 ,\tb=(\"z\");p=?1", "b", `("z");p`},
		{"repeated key: last wins", `a=("1"), a=("2")`, "a", `("2")`},
		{"repeated parameter: last wins", `a=("1");p=1;p=2`, "a", `("1");p=2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ms, err := parseDictionary(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for _, m := range ms {
				if m.key == tt.key && m.inner {
					got = serializeInnerList(m.items, m.params)
				}
			}
			if got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestParseDictionaryItems checks the item values digest fields use.
func TestParseDictionaryItems(t *testing.T) {
	t.Parallel()
	ms, err := parseDictionary(`sha-256=:AQID:, flag, n=42, tok=abc, unpadded=:AQ:`)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 5 {
		t.Fatalf("%d members", len(ms))
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"byte sequence", bytes.Equal(ms[0].item.value.([]byte), []byte{1, 2, 3})},
		{"bare key is true", ms[1].item.value == true},
		{"integer", ms[2].item.value == int64(42)},
		{"token", ms[3].item.value == sfToken("abc")},
		{"unpadded base64", bytes.Equal(ms[4].item.value.([]byte), []byte{1})},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: got %#v", c.name, ms)
		}
	}
}

// TestParseDictionaryErrors checks malformed input is refused.
func TestParseDictionaryErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"trailing comma", `a=1,`, "trailing comma"},
		{"upper-case key", `Sig=1`, "expected key"},
		{"unterminated inner list", `a=(`, "unterminated inner list"},
		{"inner list cut after an item", `a=("x"`, "expected ' ' or ')'"},
		{"items not separated", `a=("x""y")`, "expected ' ' or ')'"},
		{"unterminated string", `a="x`, "unterminated string"},
		{"bad escape", `a="\n"`, "bad escape"},
		{"control character", "a=\"\x01\"", "bad character"},
		{"bad base64", `a=:!!:`, "bad base64"},
		{"unterminated byte sequence", `a=:AQID`, "unterminated byte sequence"},
		{"bad boolean", `a=?2`, "bad boolean"},
		{"integer too long", `a=1234567890123456`, "bad integer"},
		{"decimal too precise", `a=1.2345`, "bad decimal"},
		{"junk after member", `a=1 b=2`, "expected ','"},
		{"unexpected character", `a=%`, "unexpected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseDictionary(tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}
