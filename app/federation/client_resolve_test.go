package federation

import (
	"maps"
	"testing"
)

func TestParseResolve(t *testing.T) {
	t.Parallel()
	got, err := ParseResolve([]string{"A.Test=127.0.0.1:8080", "b.test.=[::1]:443", "c.test=[::ffff:127.0.0.1]:1"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.test": "127.0.0.1:8080", "b.test": "[::1]:443", "c.test": "[::ffff:127.0.0.1]:1"}
	if !maps.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if m, err := ParseResolve(nil); err != nil || m == nil || len(m) != 0 {
		t.Errorf("ParseResolve(nil) = %v, %v; want empty map", m, err)
	}
	for _, bad := range [][]string{
		{"a.test"},
		{"=127.0.0.1:80"},
		{"a.test=127.0.0.1"},
		{"a.test=example.com:80"},
		{"a.test=127.0.0.1:0"},
		{"a.test=127.0.0.1:65536"},
		{"a.test=127.0.0.1:http"},
		{"a.test=127.0.0.1:80", "A.TEST=127.0.0.2:80"},
	} {
		if m, err := ParseResolve(bad); err == nil {
			t.Errorf("ParseResolve(%q) = %v, want error", bad, m)
		}
	}
}
