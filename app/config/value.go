package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// typeError reports a value of the wrong type or format.
type typeError struct {
	expected string
	got      string
}

func (e *typeError) Error() string {
	return fmt.Sprintf("expected %s, got %s", e.expected, e.got)
}

// expectation describes in words what a value of typ looks like.
func expectation(typ string) string {
	switch typ {
	case typeString:
		return "a string"
	case typeInt:
		return "an integer"
	case typeBool:
		return "a boolean (true or false)"
	case typeDuration:
		return `a duration such as "10s" or "1m30s"`
	case typeSize:
		return `a size such as "16MiB" or a number of bytes`
	case typeList:
		return "a list of strings"
	}
	return typ
}

// parseFileValue converts a value decoded from YAML, which must already have
// the right YAML type: strings for strings and durations, integers for
// integers, booleans for booleans, integers or strings for sizes, sequences
// of strings for lists.
func parseFileValue(typ string, raw any) (any, error) {
	fail := &typeError{expected: expectation(typ), got: describe(raw)}
	switch typ {
	case typeString:
		if s, ok := raw.(string); ok {
			return s, nil
		}
	case typeInt:
		if n, ok := toInt64(raw); ok && n >= math.MinInt && n <= math.MaxInt {
			return int(n), nil
		}
	case typeBool:
		if b, ok := raw.(bool); ok {
			return b, nil
		}
	case typeDuration:
		if s, ok := raw.(string); ok {
			return parseEnvValue(typ, s)
		}
	case typeSize:
		if n, ok := toInt64(raw); ok {
			return n, nil
		}
		if s, ok := raw.(string); ok {
			return parseEnvValue(typ, s)
		}
	case typeList:
		items, ok := raw.([]any)
		if !ok {
			break
		}
		out := make([]string, 0, len(items))
		for i, item := range items {
			s, ok := item.(string)
			if !ok {
				fail.got = fmt.Sprintf("a list whose item %d is %s", i+1, describe(item))
				return nil, fail
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fail
}

// toInt64 converts the integer types YAML decoding produces.
func toInt64(raw any) (int64, bool) {
	switch n := raw.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case uint:
		if uint64(n) <= math.MaxInt64 {
			return int64(n), true
		}
	}
	return 0, false
}

// parseEnvValue parses a string (an environment value, or a YAML string for
// durations and sizes) according to typ. A list is comma-separated, each item
// trimmed of surrounding spaces; an empty or blank string is an empty list.
func parseEnvValue(typ string, s string) (any, error) {
	fail := &typeError{expected: expectation(typ), got: strconv.Quote(s)}
	t := strings.TrimSpace(s)
	switch typ {
	case typeString:
		return s, nil
	case typeInt:
		if n, err := strconv.Atoi(t); err == nil {
			return n, nil
		}
	case typeBool:
		if b, err := strconv.ParseBool(t); err == nil {
			return b, nil
		}
	case typeDuration:
		if d, err := time.ParseDuration(t); err == nil {
			return d, nil
		}
	case typeSize:
		if n, err := ParseSize(t); err == nil {
			return n, nil
		}
	case typeList:
		out := []string{}
		if t == "" {
			return out, nil
		}
		for _, item := range strings.Split(t, ",") {
			out = append(out, strings.TrimSpace(item))
		}
		return out, nil
	}
	return nil, fail
}

// describe renders a decoded YAML value for error messages.
func describe(raw any) string {
	switch v := raw.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEnN") {
			s += ".0"
		}
		return s
	case []any:
		return "a list"
	case map[string]any, map[any]any:
		return "a mapping"
	case time.Time:
		return "a timestamp " + v.Format(time.RFC3339)
	}
	return fmt.Sprint(raw)
}

// renderValue renders a typed value as a YAML scalar (or, for lists, a
// one-line flow sequence) that parses back to the same value.
func renderValue(typ string, v any) string {
	switch typ {
	case typeString:
		return yamlString(v.(string))
	case typeInt:
		return strconv.Itoa(v.(int))
	case typeBool:
		return strconv.FormatBool(v.(bool))
	case typeDuration:
		return formatDuration(v.(time.Duration))
	case typeSize:
		return FormatSize(v.(int64))
	case typeList:
		return yamlList(v.([]string))
	}
	return fmt.Sprint(v)
}

// yamlList renders items as a one-line YAML flow sequence, e.g. [] or
// ['a.test=127.0.0.1:8443', "b, c"].
func yamlList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = flowItem(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// flowItem renders s as a single-line item of a YAML flow sequence.
func flowItem(s string) string {
	seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: s},
	}}
	out, err := yaml.Marshal(seq)
	r := strings.TrimSuffix(string(out), "\n")
	if err != nil || strings.Contains(r, "\n") || !strings.HasPrefix(r, "[") || !strings.HasSuffix(r, "]") {
		return strconv.Quote(s)
	}
	return r[1 : len(r)-1]
}

// formatDuration renders d compactly: whole hours as "2h", whole seconds as
// "90s", anything else as time.Duration.String does.
func formatDuration(d time.Duration) string {
	switch {
	case d != 0 && d%time.Hour == 0:
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	case d%time.Second == 0:
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}

// yamlString renders s as a single-line YAML scalar, quoting only when YAML
// would otherwise read something else (e.g. "off", "15432", "").
func yamlString(s string) string {
	out, err := yaml.Marshal(s)
	r := strings.TrimSuffix(string(out), "\n")
	if err != nil || strings.Contains(r, "\n") || strings.HasPrefix(r, "!!") {
		return strconv.Quote(s)
	}
	return r
}

// redactTypeError replaces the offending value in err by its kind when o is
// secret, so that error messages never carry a secret.
func redactTypeError(o *option, err error, raw any) {
	var te *typeError
	if o.secret && errors.As(err, &te) {
		te.got = kindOf(raw)
	}
}

// kindOf names the kind of a decoded value without showing it.
func kindOf(raw any) string {
	switch raw.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case int, int32, int64, uint, uint64:
		return "an integer"
	case float64:
		return "a floating-point number"
	case []any:
		return "a list"
	case map[string]any, map[any]any:
		return "a mapping"
	case time.Time:
		return "a timestamp"
	}
	return fmt.Sprintf("a value of type %T", raw)
}
