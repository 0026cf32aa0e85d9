package cli_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pukeko/app/testkit"
)

// Custom emoji are added from image files, per domain or for all, listed
// and removed; what is not an allowed image is refused.
func TestEmojiCommands(t *testing.T) {
	t.Parallel()
	in := newInstance(t, "PUKEKO_DATABASE_URL="+testkit.DatabaseURL(t), "PUKEKO_MEDIA_MAX_EMOJI_SIZE=4KiB")
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		out, errs, code := in.run("", args...)
		if (code == 0) != wantOK {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		return out + errs
	}
	dir := t.TempDir()
	img := image.NewNRGBA(image.Rect(0, 0, 32, 32))
	for k := range 32 {
		img.Set(k, k, color.NRGBA{200, 30, 30, 255})
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	kea := filepath.Join(dir, "kea.png")
	os.WriteFile(kea, buf.Bytes(), 0o644)
	html := filepath.Join(dir, "evil.png")
	os.WriteFile(html, []byte("<html><script>alert(1)</script></html>"), 0o644)
	big := filepath.Join(dir, "big.png")
	os.WriteFile(big, append(buf.Bytes(), make([]byte, 5000)...), 0o644)

	run(true, "migrate")
	run(true, "domain", "add", "a.test", "--default")
	run(true, "domain", "add", "b.test")
	if out := run(true, "emoji", "add", "--shortcode", "kea", "--file", kea); !strings.Contains(out, "added :kea: (https://a.test/media/emoji/") {
		t.Fatalf("emoji add: %s", out)
	}
	run(true, "emoji", "add", "--shortcode", "tui", "--file", kea, "--domain", "b.test")
	if out := run(false, "emoji", "add", "--shortcode", "evil", "--file", html); !strings.Contains(out, "unsupported") {
		t.Fatalf("HTML as an emoji: %s", out)
	}
	if out := run(false, "emoji", "add", "--shortcode", "big", "--file", big); !strings.Contains(out, "too large") {
		t.Fatalf("an emoji over the limit: %s", out)
	}
	if out := run(false, "emoji", "add", "--shortcode", "a b", "--file", kea); !strings.Contains(out, "not a valid shortcode") {
		t.Fatalf("a bad shortcode: %s", out)
	}
	if out := run(true, "emoji", "list", "--domain", "a.test"); !strings.Contains(out, ":kea:") || strings.Contains(out, ":tui:") {
		t.Fatalf("emoji of a.test: %s", out)
	}
	if out := run(true, "emoji", "list", "--domain", "b.test"); !strings.Contains(out, ":kea:") || !strings.Contains(out, ":tui:") {
		t.Fatalf("emoji of b.test: %s", out)
	}
	run(true, "emoji", "remove", "--shortcode", "kea")
	if out := run(true, "emoji", "list"); strings.Contains(out, ":kea:") {
		t.Fatalf("a removed emoji is listed: %s", out)
	}
	run(false, "emoji", "remove", "--shortcode", "kea")
}
