package cli_test

import (
	"strings"
	"testing"

	"pukeko/app/testkit"
)

// Domains and identities are managed from the command line, with errors
// that say what is wrong.
func TestDomainAndIdentityCommands(t *testing.T) {
	t.Parallel()
	in := newInstance(t, "PUKEKO_DATABASE_URL="+testkit.DatabaseURL(t), "PUKEKO_USERS_MAX_IDENTITIES=1")
	must := func(args ...string) string {
		t.Helper()
		out, errs, code := in.run("a-long-password\n", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		return out
	}
	fails := func(want string, args ...string) {
		t.Helper()
		out, errs, code := in.run("a-long-password\n", args...)
		if code == 0 || !strings.Contains(errs, want) {
			t.Fatalf("%v: exit %d, want failure saying %q:\n%s%s", args, code, want, out, errs)
		}
	}
	must("migrate")
	must("domain", "add", "example.test", "--default", "--signup", "open", "--site-name", "Example")
	must("domain", "add", "other.test", "--service-domain", "social.other.test")
	fails("already exists", "domain", "add", "EXAMPLE.test")
	fails("signup must be one of", "domain", "add", "third.test", "--signup", "sometimes")
	must("domain", "set", "other.test", "--default", "--private")
	list := must("domain", "list")
	if !strings.Contains(list, "other.test\tother.test\tsignup=closed default private service=social.other.test") ||
		!strings.Contains(list, "example.test\tExample\tsignup=open\n") {
		t.Fatalf("domain list:\n%s", list)
	}

	must("user", "create", "--email", "ada@example.test", "--password-stdin")
	out := must("identity", "create", "--user", "ada@example.test", "--handle", "ada@other.test", "--name", "Ada")
	if !strings.Contains(out, "https://social.other.test/@ada@other.test") {
		t.Fatalf("the actor URI is not on the service domain: %s", out)
	}
	fails("identity limit reached", "identity", "create", "--user", "ada@example.test", "--handle", "ada2@example.test")
	fails("not a domain of this server", "identity", "create", "--user", "ada@example.test", "--handle", "x@nowhere.test")
	fails("no user with email", "identity", "create", "--user", "nobody@example.test", "--handle", "x@example.test")
	fails("still has 1 identities", "domain", "remove", "other.test")
	must("domain", "remove", "example.test")
	if list := must("domain", "list"); strings.Contains(list, "example.test") {
		t.Fatalf("removed domain still listed:\n%s", list)
	}
}
