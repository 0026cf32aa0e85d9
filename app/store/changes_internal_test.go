package store

import (
	"reflect"
	"testing"

	"pukeko/app/model"
)

func TestParseChange(t *testing.T) {
	good := map[string]Change{
		"*":          {Kind: ChangedAll},
		"r:1,22,333": {Kind: ChangedReaders, IDs: []model.ID{1, 22, 333}},
		"p:7":        {Kind: ChangedPosts, IDs: []model.ID{7}},
		"i:9":        {Kind: ChangedIdentities, IDs: []model.ID{9}},
		"b:ab12.3":   {Kind: ChangeBarrier, Token: "ab12.3"},
	}
	for in, want := range good {
		got, err := ParseChange(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseChange(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "p", "p:", "p:x", "x:1", "rr:1", "r:1,,2"} {
		if c, err := ParseChange(bad); err == nil {
			t.Errorf("ParseChange(%q) = %+v, want an error", bad, c)
		}
	}
}
