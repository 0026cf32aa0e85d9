package config

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestListFromFileAndEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		env  []string
		want []string
	}{
		{"default", "", nil, []string{}},
		{"flow", "federation:\n  resolve: [\"a.test=127.0.0.1:8443\", b.test=127.0.0.2:9443]\n", nil,
			[]string{"a.test=127.0.0.1:8443", "b.test=127.0.0.2:9443"}},
		{"block", "federation:\n  resolve:\n    - a.test=127.0.0.1:8443\n    - \"b.test=[::1]:9443\"\n", nil,
			[]string{"a.test=127.0.0.1:8443", "b.test=[::1]:9443"}},
		{"empty flow", "federation:\n  resolve: []\n", nil, []string{}},
		{"null keeps default", "federation:\n  resolve:\n", nil, []string{}},
		{"hosts lower-cased", "federation:\n  resolve: [\"A.Test=127.0.0.1:8443\"]\n", nil, []string{"a.test=127.0.0.1:8443"}},
		{"env", "", []string{"PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:8443,b.test=127.0.0.1:9443"},
			[]string{"a.test=127.0.0.1:8443", "b.test=127.0.0.1:9443"}},
		{"env trims items", "", []string{"PUKEKO_FEDERATION_RESOLVE= a.test=127.0.0.1:8443 , B.test=[::1]:9443 "},
			[]string{"a.test=127.0.0.1:8443", "b.test=[::1]:9443"}},
		{"env replaces file", "federation:\n  resolve: [\"a.test=127.0.0.1:8443\"]\n", []string{"PUKEKO_FEDERATION_RESOLVE=c.test=127.0.0.3:1"},
			[]string{"c.test=127.0.0.3:1"}},
		{"empty env empties file list", "federation:\n  resolve: [\"a.test=127.0.0.1:8443\"]\n", []string{"PUKEKO_FEDERATION_RESOLVE="}, []string{}},
		{"blank env", "", []string{"PUKEKO_FEDERATION_RESOLVE=  "}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := loadYAML(t, tt.file, tt.env...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Federation.Resolve; got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Federation.Resolve = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestListDefaultNotShared(t *testing.T) {
	t.Parallel()
	a, b := defaultConfig(), defaultConfig()
	a.Federation.Resolve = append(a.Federation.Resolve, "x.test=127.0.0.1:1")
	if len(b.Federation.Resolve) != 0 || len(optionsByKey["federation.resolve"].def.([]string)) != 0 {
		t.Fatal("appending to one Config's list changed another Config or the default")
	}
	src := []string{"a.test=127.0.0.1:1"}
	optionsByKey["federation.resolve"].set(a, src)
	src[0] = "changed"
	if a.Federation.Resolve[0] != "a.test=127.0.0.1:1" {
		t.Error("set shares the caller's slice")
	}
}

func TestYAMLListRoundTrip(t *testing.T) {
	t.Parallel()
	for _, items := range [][]string{
		{},
		{"a.test=127.0.0.1:8443"},
		{"b.test=[::1]:9443", "with, comma", "x: y", "[bracket]", "{brace}", "", "off", "15432", "# hash", "- dash", "quote\"s", "'single'"},
		{strings.Repeat("long item ", 30), "line\nbreak", "tab\there", "ünï"},
	} {
		out := yamlList(items)
		if strings.Contains(out, "\n") || !strings.HasPrefix(out, "[") {
			t.Errorf("yamlList(%q) = %q, not a one-line flow list", items, out)
			continue
		}
		var raw any
		if err := yaml.Unmarshal([]byte("k: "+out), &raw); err != nil {
			t.Errorf("yamlList(%q) = %s, not YAML: %v", items, out, err)
			continue
		}
		got, err := parseFileValue(typeList, raw.(map[string]any)["k"])
		if err != nil || !reflect.DeepEqual(got, items) {
			t.Errorf("yamlList(%q) = %s parses back to %q, %v", items, out, got, err)
		}
	}
}

func TestValidateCARootInAuto(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := writeFile(t, dir, "roots.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
	c, err := loadYAML(t, "main_domain: social.example\nserver:\n  tls:\n    mode: auto\n    ca_root: "+root+"\n")
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.TLS.CARoot != root {
		t.Errorf("CARoot = %q, want %q", c.Server.TLS.CARoot, root)
	}
}

func TestDumpRendersList(t *testing.T) {
	t.Parallel()
	c, err := loadYAML(t, "", "PUKEKO_FEDERATION_RESOLVE=a.test=127.0.0.1:8443,b.test=[::1]:9443")
	if err != nil {
		t.Fatal(err)
	}
	out := c.Dump()
	want := "federation:\n  allow_private_addresses: false\n  resolve: ['a.test=127.0.0.1:8443', 'b.test=[::1]:9443']\n"
	if !strings.Contains(out, want) {
		t.Errorf("Dump lacks %q:\n%s", want, out)
	}
	empty, err := loadYAML(t, "")
	if err != nil {
		t.Fatal(err)
	}
	if out := empty.Dump(); !strings.Contains(out, "\n  resolve: []\n") {
		t.Errorf("Dump lacks the empty list:\n%s", out)
	}
}
