package text

import "testing"

func TestScanMention(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		ok      bool
		handle  string // with local.example for short handles
		matched string // the text the mention covers
	}{
		{"@bob", true, "bob@local.example", "@bob"},
		{"@bob.", true, "bob@local.example", "@bob"},
		{"@bob-", true, "bob@local.example", "@bob"},
		{"@bob.smith", true, "bob.smith@local.example", "@bob.smith"},
		{"@bob@Example.COM.", true, "bob@example.com", "@bob@Example.COM"},
		{"@bob@ex-ample.com-", true, "bob@ex-ample.com", "@bob@ex-ample.com"},
		{"@bob@", true, "bob@local.example", "@bob"},
		{"@bob@.com", true, "bob@local.example", "@bob"},
		{"@bob@bücher.de", true, "bob@bücher.de", "@bob@bücher.de"},
		{"@Bob_1,", true, "Bob_1@local.example", "@Bob_1"},
		{"@.bob", false, "", ""},
		{"@-bob", false, "", ""},
		{"@", false, "", ""},
		{"@ bob", false, "", ""},
		{"@ünïcode", false, "", ""}, // usernames are ASCII
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			e, ok := scanMention(tt.in, 0)
			if ok != tt.ok {
				t.Fatalf("scanMention(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			}
			if !ok {
				return
			}
			if h := e.handle(testDomain); h != tt.handle {
				t.Errorf("handle = %q, want %q", h, tt.handle)
			}
			if m := tt.in[e.start:e.end]; m != tt.matched {
				t.Errorf("matched %q, want %q", m, tt.matched)
			}
		})
	}
}
