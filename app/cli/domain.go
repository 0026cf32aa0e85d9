package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"pukeko/app/model"
	"pukeko/app/store"
)

var signupPolicies = []string{model.SignupOpen, model.SignupApproval, model.SignupInvite, model.SignupClosed}

func validPolicy(p string) bool {
	for _, s := range signupPolicies {
		if p == s {
			return true
		}
	}
	return false
}

func runDomainAdd(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("domain add", "NAME [--service-domain S] [--default] [--private] [--site-name N] [--signup POLICY]",
		"Serve a new domain: identities @user@NAME, with actor URIs on the service domain when given.", stdio)
	service := fs.String("service-domain", "", "domain that serves the actor URIs of this domain")
	isDefault := fs.Bool("default", false, "make this the default domain")
	private := fs.Bool("private", false, "hide the domain from signups and listings")
	siteName := fs.String("site-name", "", "the site name shown on this domain")
	signup := fs.String("signup", model.SignupClosed, "signup policy: "+strings.Join(signupPolicies, ", "))
	name, err := parseWithName(fs, args)
	if err != nil {
		return err
	}
	if err := checkDomainArgs(name, *service, *signup); err != nil {
		return err
	}
	s, err := openAdmin(ctx, *path, "domain-add", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	d := &model.Domain{Domain: strings.ToLower(name), ServiceDomain: strings.ToLower(*service), Local: true,
		Public: !*private, Default: *isDefault, SiteName: *siteName, SignupPolicy: *signup}
	if d.SiteName == "" {
		d.SiteName = d.Domain
	}
	if err := store.CreateLocalDomain(ctx, s.db.Pool, d); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "added domain %s\n", d.Domain)
	return nil
}

func runDomainSet(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("domain set", "NAME [--service-domain S] [--default] [--public|--private] [--site-name N] [--signup POLICY] [--icon URL] [--css FILE-CONTENT]",
		"Change the settings of a domain this server serves; flags not given keep their value.", stdio)
	service := fs.String("service-domain", "\x00", "domain that serves the actor URIs (\"\" for none)")
	isDefault := fs.Bool("default", false, "make this the default domain")
	public := fs.Bool("public", false, "list the domain publicly")
	private := fs.Bool("private", false, "hide the domain")
	siteName := fs.String("site-name", "\x00", "site name")
	signup := fs.String("signup", "\x00", "signup policy: "+strings.Join(signupPolicies, ", "))
	icon := fs.String("icon", "\x00", "icon URL")
	css := fs.String("css", "\x00", "custom CSS")
	name, err := parseWithName(fs, args)
	if err != nil {
		return err
	}
	if *public && *private {
		return fmt.Errorf("domain set: --public and --private exclude each other: %w", errUsage)
	}
	s, err := openAdmin(ctx, *path, "domain-set", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	d, err := store.Domain(ctx, s.db.Pool, strings.ToLower(name))
	if err != nil {
		return err
	}
	if d == nil || !d.Local {
		return fmt.Errorf("domain set: %s is not a domain of this server", name)
	}
	set := func(dst *string, v string) {
		if v != "\x00" {
			*dst = v
		}
	}
	set(&d.ServiceDomain, strings.ToLower(*service))
	set(&d.SiteName, *siteName)
	set(&d.SignupPolicy, *signup)
	set(&d.IconURL, *icon)
	set(&d.CustomCSS, *css)
	if *isDefault {
		d.Default = true
	}
	if *public || *private {
		d.Public = *public
	}
	if err := checkDomainArgs(d.Domain, d.ServiceDomain, d.SignupPolicy); err != nil {
		return err
	}
	if err := store.UpdateLocalDomain(ctx, s.db.Pool, d); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "updated domain %s\n", d.Domain)
	return nil
}

func runDomainRemove(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("domain remove", "NAME", "Stop serving a domain. Refused while identities live on it.", stdio)
	name, err := parseWithName(fs, args)
	if err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("domain remove: name the domain: %w", errUsage)
	}
	s, err := openAdmin(ctx, *path, "domain-remove", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := store.DeleteLocalDomain(ctx, s.db.Pool, strings.ToLower(name)); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Stdout, "removed domain %s\n", strings.ToLower(name))
	return nil
}

func runDomainList(ctx context.Context, stdio IO, args []string) error {
	fs, path := newFlags("domain list", "", "List the domains this server serves.", stdio)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := openAdmin(ctx, *path, "domain-list", stdio)
	if err != nil {
		return err
	}
	defer s.Close()
	domains, err := store.LocalDomains(ctx, s.db.Pool)
	if err != nil {
		return err
	}
	for _, d := range domains {
		flags := []string{"signup=" + d.SignupPolicy}
		if d.Default {
			flags = append(flags, "default")
		}
		if !d.Public {
			flags = append(flags, "private")
		}
		if d.ServiceDomain != "" {
			flags = append(flags, "service="+d.ServiceDomain)
		}
		fmt.Fprintf(stdio.Stdout, "%s\t%s\t%s\n", d.Domain, d.SiteName, strings.Join(flags, " "))
	}
	return nil
}

func checkDomainArgs(name, service, signup string) error {
	if name == "" {
		return fmt.Errorf("domain: name the domain: %w", errUsage)
	}
	for _, h := range []string{name, service} {
		if h != "" && !validHostname(h) {
			return fmt.Errorf("domain: %q is not a hostname: %w", h, errUsage)
		}
	}
	if !validPolicy(signup) {
		return fmt.Errorf("domain: --signup must be one of %s: %w", strings.Join(signupPolicies, ", "), errUsage)
	}
	return nil
}

func validHostname(h string) bool {
	if len(h) > 253 || strings.HasPrefix(h, ".") || strings.HasSuffix(h, ".") || !strings.Contains(h, ".") && h != "localhost" {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || strings.HasPrefix(label, "-") || strings.HasSuffix(label, "-") {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

// parseWithName parses flags around one positional argument (a name),
// which may stand before, between or after the flags.
func parseWithName(fs *flag.FlagSet, args []string) (string, error) {
	name := ""
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", err
			}
			return "", fmt.Errorf("%s: %v: %w", fs.Name(), err, errUsage)
		}
		if fs.NArg() == 0 {
			return name, nil
		}
		if name != "" {
			return "", fmt.Errorf("%s: unexpected argument %q: %w", fs.Name(), fs.Arg(0), errUsage)
		}
		name, args = fs.Arg(0), fs.Args()[1:]
	}
}
