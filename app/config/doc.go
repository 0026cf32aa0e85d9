// Package config loads Pukeko's configuration.
//
// All settings live in one table (see options.go): each option has a dotted
// key as written in the YAML file, a type, a default, a secret flag and a
// one-line description. Load reads an optional YAML file with viper, applies
// PUKEKO_* environment overrides, checks every value against the table with
// strict typing, fills in derived paths and validates the result.
package config
