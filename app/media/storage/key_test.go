package storage

import (
	"crypto/sha256"
	"strings"
	"testing"
)

func TestKey(t *testing.T) {
	// SHA-256 of the empty string.
	const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	tests := []struct {
		prefix, ext, want string
	}{
		{"attachments", ".jpg", "attachments/e3/b0/" + empty + ".jpg"},
		{"attachments/", "JPG", "attachments/e3/b0/" + empty + ".jpg"},
		{"/cache/remote/", ".PNG", "cache/remote/e3/b0/" + empty + ".png"},
		{"", "", "e3/b0/" + empty},
	}
	for _, tt := range tests {
		if got := KeyOf(tt.prefix, nil, tt.ext); got != tt.want {
			t.Errorf("KeyOf(%q, nil, %q) = %q, want %q", tt.prefix, tt.ext, got, tt.want)
		}
		if !ValidKey(tt.want) {
			t.Errorf("ValidKey(%q) = false", tt.want)
		}
	}
	sum := sha256.Sum256([]byte("abc"))
	if got, want := Key("x", sum[:], ".gif"), "x/ba/78/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad.gif"; got != want {
		t.Errorf("Key(abc) = %q, want %q", got, want)
	}
}

func TestKeyPanicsOnWrongSumLength(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Key with a 20-byte sum did not panic")
		}
	}()
	Key("x", make([]byte, 20), ".jpg")
}

func TestValidKey(t *testing.T) {
	for _, k := range invalidKeys {
		if ValidKey(k) {
			t.Errorf("ValidKey(%q) = true, want false", k)
		}
	}
	for _, k := range []string{
		"a",
		"a.b",
		"emoji/ab/cd/x_y-z.0.png",
		strings.Repeat("a", maxKeyLen),
	} {
		if !ValidKey(k) {
			t.Errorf("ValidKey(%q) = false, want true", k)
		}
	}
}

func TestContentTypeAndExt(t *testing.T) {
	for _, tt := range []struct{ key, want string }{
		{"a/b.jpg", "image/jpeg"},
		{"a/b.jpeg", "image/jpeg"},
		{"a/b.webm", "video/webm"},
		{"a/b.mp3", "audio/mpeg"},
		{"a/b.svg", "application/octet-stream"},
		{"a/b.html", "application/octet-stream"},
		{"a/b", "application/octet-stream"},
	} {
		if got := ContentType(tt.key); got != tt.want {
			t.Errorf("ContentType(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
	for _, tt := range []struct{ typ, want string }{
		{"image/jpeg", ".jpg"},
		{"IMAGE/JPG", ".jpg"},
		{"audio/ogg; codecs=opus", ".ogg"},
		{"video/mp4", ".mp4"},
		{"image/svg+xml", ".bin"},
		{"text/html", ".bin"},
		{"not a type", ".bin"},
		{"", ".bin"},
	} {
		if got := Ext(tt.typ); got != tt.want {
			t.Errorf("Ext(%q) = %q, want %q", tt.typ, got, tt.want)
		}
	}
	// Every preferred extension maps back to its own type (or, for
	// aliases, to the canonical one with the same extension).
	for typ, ext := range typeExts {
		if back := ContentType("k" + ext); Ext(back) != ext {
			t.Errorf("%s -> %s -> %s does not round-trip", typ, ext, back)
		}
	}
}

func TestPutType(t *testing.T) {
	for _, tt := range []struct {
		key, declared, want string
		ok                  bool
	}{
		{"a.jpg", "", "image/jpeg", true},
		{"a.jpg", "image/jpeg", "image/jpeg", true},
		{"a.jpg", "image/jpg", "image/jpeg", true},
		{"a.jpeg", "Image/JPEG; q=1", "image/jpeg", true},
		{"a.bin", "application/octet-stream", "application/octet-stream", true},
		{"a.jpg", "image/png", "", false},
		{"a.bin", "text/html", "", false},
		{"a.jpg", "garbage", "", false},
	} {
		got, err := putType(tt.key, tt.declared)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("putType(%q, %q) = %q, %v; want %q, ok=%v", tt.key, tt.declared, got, err, tt.want, tt.ok)
		}
	}
}
