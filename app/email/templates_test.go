package email

import (
	"strings"
	"testing"
)

// The confirmation email: subject, both bodies with the link, the site's
// name escaped in HTML.
func TestRenderConfirmation(t *testing.T) {
	t.Parallel()
	m, err := Render("confirmation", map[string]any{"SiteName": "Birds <&> Co", "Domain": "a.test", "Username": "kiwi",
		"Email": "kiwi@example.com", "Link": "https://a.test/auth/confirmation?confirmation_token=abc", "Hours": 48})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Confirm your email address for Birds <&> Co" {
		t.Errorf("subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "https://a.test/auth/confirmation?confirmation_token=abc\n") || !strings.Contains(m.Text, "@kiwi@a.test") {
		t.Errorf("text: %s", m.Text)
	}
	if !strings.Contains(m.HTML, `href="https://a.test/auth/confirmation?confirmation_token=abc"`) ||
		!strings.Contains(m.HTML, "Birds &lt;&amp;&gt; Co") {
		t.Errorf("HTML: %s", m.HTML)
	}
	if _, err := Render("nonsense", nil); err == nil {
		t.Error("an unknown message rendered")
	}
}
