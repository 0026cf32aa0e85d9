package config

import (
	"strconv"
	"strings"
)

// Dump renders the effective configuration as YAML with every key, secrets
// masked, preceded by a comment naming the config file used.
func (c *Config) Dump() string {
	var b strings.Builder
	switch {
	case c.Source == "":
		b.WriteString("# no config file: defaults and environment\n")
	case strings.ContainsAny(c.Source, "\r\n"):
		b.WriteString("# config file: " + strconv.Quote(c.Source) + "\n")
	default:
		b.WriteString("# config file: " + c.Source + "\n")
	}
	var open []string
	for i := range optionTable {
		o := &optionTable[i]
		parts := strings.Split(o.key, ".")
		section, leaf := parts[:len(parts)-1], parts[len(parts)-1]
		same := 0
		for same < len(section) && same < len(open) && section[same] == open[same] {
			same++
		}
		for depth := same; depth < len(section); depth++ {
			b.WriteString(strings.Repeat("  ", depth) + section[depth] + ":\n")
		}
		open = section
		b.WriteString(strings.Repeat("  ", len(section)) + leaf + ": " + o.dumpValue(c) + "\n")
	}
	return b.String()
}

// dumpValue renders the value of o in c for Dump, masking secrets.
func (o *option) dumpValue(c *Config) string {
	v := o.get(c)
	if !o.secret {
		return renderValue(o.typ, v)
	}
	s, _ := v.(string)
	switch {
	case s == "":
		return `""`
	case o.mask != nil:
		return yamlString(o.mask(s))
	}
	return strconv.Quote(secretMask)
}
