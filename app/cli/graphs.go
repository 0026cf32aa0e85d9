package cli

import (
	"fmt"
	"sort"
	"strings"

	"pukeko/app/stator"
)

// selectGraphs applies --graphs and --exclude (comma-separated names) to
// all graphs; an unknown name is a usage error, not a silent no-op.
func selectGraphs(all []*stator.Graph, only, exclude string) ([]*stator.Graph, error) {
	byName := map[string]*stator.Graph{}
	var names []string
	for _, g := range all {
		byName[g.Name()] = g
		names = append(names, g.Name())
	}
	sort.Strings(names)
	parse := func(flag, list string) (map[string]bool, error) {
		set := map[string]bool{}
		for _, n := range strings.Split(list, ",") {
			if n = strings.TrimSpace(n); n == "" {
				continue
			}
			if byName[n] == nil {
				return nil, fmt.Errorf("--%s: no graph named %q (graphs: %s): %w", flag, n, strings.Join(names, ", "), errUsage)
			}
			set[n] = true
		}
		return set, nil
	}
	keep, err := parse("graphs", only)
	if err != nil {
		return nil, err
	}
	drop, err := parse("exclude", exclude)
	if err != nil {
		return nil, err
	}
	var out []*stator.Graph
	for _, g := range all {
		if (len(keep) == 0 || keep[g.Name()]) && !drop[g.Name()] {
			out = append(out, g)
		}
	}
	return out, nil
}
