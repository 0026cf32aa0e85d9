package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/viper"
)

// LoadOptions tells Load where to find the configuration.
type LoadOptions struct {
	// Path is the config file given with --config; "" means look further.
	Path string
	// Env is the environment as KEY=VALUE pairs (os.Environ() in production).
	Env []string
	// Getwd is the directory relative paths are resolved against; "" means
	// os.Getwd().
	Getwd string
	// SearchPaths are tried in order when neither Path nor PUKEKO_CONFIG is
	// set; nil means ./config.yaml then /etc/pukeko/config.yaml, and an empty
	// non-nil slice disables the search.
	SearchPaths []string
}

// ConfigEnv names the environment variable giving the config file path.
const ConfigEnv = "PUKEKO_CONFIG"

// testEnvPrefix marks environment variables reserved for tests, which are
// never reported as unknown.
const testEnvPrefix = "PUKEKO_TEST_"

// defaultSearchPaths are the config files tried when none is given.
var defaultSearchPaths = []string{"./config.yaml", "/etc/pukeko/config.yaml"}

// Load reads the configuration: defaults, then the config file (if any),
// then PUKEKO_* environment overrides; it resolves relative paths and
// validates the result. All problems found are reported together.
func Load(opts LoadOptions) (*Config, error) {
	wd, err := workingDir(opts.Getwd)
	if err != nil {
		return nil, err
	}
	env := pukekoEnv(opts.Env)
	path, err := findFile(opts, env, wd)
	if err != nil {
		return nil, err
	}

	c := defaultConfig()
	c.Source = path
	var errs []error
	if path != "" {
		fileErrs, err := applyFile(c, path)
		if err != nil {
			return nil, err
		}
		errs = append(errs, fileErrs...)
	}
	errs = append(errs, applyEnv(c, env)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	c.normalize(wd)
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// workingDir returns the absolute directory relative paths are resolved
// against.
func workingDir(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", fmt.Errorf("config: getting working directory: %w", err)
		}
		return wd, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("config: resolving working directory %q: %w", dir, err)
	}
	return abs, nil
}

// pukekoEnv extracts the PUKEKO_* variables of env; later entries win.
func pukekoEnv(env []string) map[string]string {
	out := map[string]string{}
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(name, envPrefix) {
			out[name] = value
		}
	}
	return out
}

// absPath resolves p against wd and cleans it.
func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(wd, p)
}

// findFile returns the absolute path of the config file to read, or "" when
// there is none.
func findFile(opts LoadOptions, env map[string]string, wd string) (string, error) {
	if opts.Path != "" {
		return requireFile(absPath(wd, opts.Path), "--config")
	}
	if p := env[ConfigEnv]; p != "" {
		return requireFile(absPath(wd, p), ConfigEnv)
	}
	search := opts.SearchPaths
	if search == nil {
		search = defaultSearchPaths
	}
	for _, sp := range search {
		p := absPath(wd, sp)
		info, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue
		case err != nil:
			return "", fmt.Errorf("config: checking config file %q: %w", p, err)
		case info.IsDir():
			return "", fmt.Errorf("config: config file %q is a directory", p)
		}
		return p, nil
	}
	return "", nil
}

// requireFile checks that the explicitly requested config file p exists.
func requireFile(p, from string) (string, error) {
	info, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("config: config file %q (from %s): %w", p, from, fs.ErrNotExist)
	case err != nil:
		return "", fmt.Errorf("config: config file %q (from %s): %w", p, from, err)
	case info.IsDir():
		return "", fmt.Errorf("config: config file %q (from %s) is a directory", p, from)
	}
	return p, nil
}

// applyFile reads the YAML file at path with a fresh viper instance and
// stores its values into c. It returns one error per bad key, or a single
// error when the file cannot be read at all.
func applyFile(c *Config, path string) ([]error, error) {
	v := viper.New()
	v.SetConfigFile(path)
	v.SetConfigType("yaml")
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("config: reading %s: %w", path, err)
	}

	keys := v.AllKeys()
	sort.Strings(keys)
	var errs []error
	reported := map[string]bool{}
	for _, key := range keys {
		raw := v.Get(key)
		if o := optionsByKey[key]; o != nil {
			if raw == nil {
				continue // "key:" with no value keeps the default
			}
			val, err := parseFileValue(o.typ, raw)
			if err != nil {
				redactTypeError(o, err, raw)
				errs = append(errs, fmt.Errorf("config: %s: %w (from %s)", key, err, path))
				continue
			}
			o.set(c, val)
			continue
		}
		if sectionKeys[key] {
			if raw != nil {
				errs = append(errs, fmt.Errorf("config: %s: expected a section (a mapping of keys), got %s (from %s)", key, describe(raw), path))
			}
			continue
		}
		if leaf := leafPrefix(key); leaf != "" {
			if !reported[leaf] {
				reported[leaf] = true
				errs = append(errs, fmt.Errorf("config: %s: expected %s, got a mapping (from %s)", leaf, expectation(optionsByKey[leaf].typ), path))
			}
			continue
		}
		errs = append(errs, fmt.Errorf("config: unknown key %q in %s%s", key, path, didYouMean(key, optionKeys(), ".", true)))
	}
	return errs, nil
}

// leafPrefix returns the option key that key lies below (as when a mapping
// is given for a scalar option), or "".
func leafPrefix(key string) string {
	for i := strings.LastIndex(key, "."); i > 0; i = strings.LastIndex(key[:i], ".") {
		if optionsByKey[key[:i]] != nil {
			return key[:i]
		}
	}
	return ""
}

// applyEnv stores PUKEKO_* overrides into c, rejecting unknown variables.
func applyEnv(c *Config, env map[string]string) []error {
	names := make([]string, 0, len(env))
	for name := range env {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs []error
	for _, name := range names {
		if name == ConfigEnv || strings.HasPrefix(name, testEnvPrefix) {
			continue
		}
		o := optionsByEnv[name]
		if o == nil {
			errs = append(errs, fmt.Errorf("config: unknown environment variable %s%s", name, didYouMean(name, optionEnvNames(), "_", false)))
			continue
		}
		val, err := parseEnvValue(o.typ, env[name])
		if err != nil {
			redactTypeError(o, err, env[name])
			errs = append(errs, fmt.Errorf("config: %s: %w (from %s)", o.key, err, name))
			continue
		}
		o.set(c, val)
	}
	return errs
}

// normalize lower-cases main_domain and the hosts of federation.resolve and
// makes paths absolute against wd, filling in the bundled PostgreSQL data
// directory.
func (c *Config) normalize(wd string) {
	c.MainDomain = strings.ToLower(c.MainDomain)
	for i, entry := range c.Federation.Resolve {
		if host, target, ok := strings.Cut(entry, "="); ok {
			c.Federation.Resolve[i] = strings.ToLower(host) + "=" + target
		}
	}
	if c.DataDir != "" {
		c.DataDir = absPath(wd, c.DataDir)
	}
	if c.Media.Path == "" && c.DataDir != "" {
		c.Media.Path = filepath.Join(c.DataDir, "media")
	}
	if c.Database.Bundled.DataDir == "" && c.DataDir != "" {
		c.Database.Bundled.DataDir = filepath.Join(c.DataDir, "postgres")
	}
	for _, p := range []*string{&c.Database.Bundled.DataDir, &c.Database.Bundled.Binaries, &c.Server.TLS.CertFile, &c.Server.TLS.KeyFile, &c.Server.TLS.CARoot, &c.Server.TLS.CertsDir, &c.Media.Path} {
		if *p != "" {
			*p = absPath(wd, *p)
		}
	}
}
