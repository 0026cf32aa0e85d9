package config

import (
	"reflect"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestOptionsTable(t *testing.T) {
	t.Parallel()
	opts := Options()
	if len(opts) != len(optionTable) {
		t.Fatalf("Options() returned %d options, table has %d", len(opts), len(optionTable))
	}
	seenEnv := map[string]string{}
	for _, o := range opts {
		if o.Key == "" || o.Doc == "" || strings.Contains(o.Doc, "\n") {
			t.Errorf("%q: key and a one-line doc are required", o.Key)
		}
		env := envName(o.Key)
		if other, dup := seenEnv[env]; dup {
			t.Errorf("%s and %s share the environment variable %s", o.Key, other, env)
		}
		seenEnv[env] = o.Key
		// The rendered default, read as YAML like a config file, must parse
		// back to the typed default.
		var raw any
		if err := yaml.Unmarshal([]byte(o.Default), &raw); err != nil {
			t.Errorf("%s: default %s is not YAML: %v", o.Key, o.Default, err)
			continue
		}
		got, err := parseFileValue(o.Type, raw)
		if err != nil || !reflect.DeepEqual(got, optionsByKey[o.Key].def) {
			t.Errorf("%s: default %s parses to %v, %v; want %v", o.Key, o.Default, got, err, optionsByKey[o.Key].def)
		}
	}
	for _, key := range []string{"secret_key", "database.url", "metrics.token"} {
		if !optionsByKey[key].secret {
			t.Errorf("%s is not marked secret", key)
		}
	}
}

func TestIndexTableRejectsMistakes(t *testing.T) {
	t.Parallel()
	str := func(c *Config) any { return &c.MainDomain }
	opt := func(key string) option { return option{key: key, typ: typeString, def: "", doc: "d", field: str} }
	tests := map[string][]option{
		"duplicate":        {opt("a"), opt("a")},
		"type mismatch":    {{key: "a", typ: typeInt, def: 1, doc: "d", field: str}},
		"bad default":      {{key: "a", typ: typeString, def: 1, doc: "d", field: str}},
		"missing doc":      {{key: "a", typ: typeString, def: "", field: str}},
		"split section":    {opt("s.a"), opt("b"), opt("s.c")},
		"split subsection": {opt("s.t.a"), opt("s.b"), opt("s.t.c")},
		"key is section":   {opt("s"), opt("s.a")},
	}
	for name, table := range tests {
		if _, err := indexTable(table); err == nil {
			t.Errorf("%s: indexTable accepted a bad table", name)
		}
	}
	if _, err := indexTable([]option{opt("s.t.a"), opt("s.t.b"), opt("s.c"), opt("d")}); err != nil {
		t.Errorf("indexTable rejected a good table: %v", err)
	}
}
