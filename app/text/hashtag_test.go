package text

import "testing"

func TestTagNameLen(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int
	}{
		{"go", 2},
		{"go rest", 2},
		{"Go_lang!", 7},
		{"café", len("café")},
		{"cafe\u0301", len("cafe\u0301")}, // the combining accent is part of the word
		{"日本語。", len("日本語")},
		{"1", 0},
		{"2024", 0},
		{"20_24", 5},
		{"_24", 0}, // '_' first is not inside
		{"24_", 0}, // nor is '_' last
		{"1·2", 4}, // an inner middle dot makes digits a tag
		{"a·", 1},  // a trailing separator is not part of the tag
		{"·a", 0},  // nor may one lead
		{"", 0},
		{" go", 0},
		{"x1", 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := tagNameLen(tt.in); got != tt.want {
				t.Errorf("tagNameLen(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeTag(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"Go", "go"},
		{"CAFÉ", "café"},
		{"cafe\u0301", "café"},
		{"ＧＯ", "go"}, // full-width letters fold to ASCII
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := normalizeTag(tt.in); got != tt.want {
				t.Errorf("normalizeTag(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
