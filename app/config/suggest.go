package config

import "strings"

// suggest returns the candidate closest to name, or "" when none is close
// enough to be a likely typo. A candidate sharing name's last segment (sep
// separated) is suggested when no candidate is close by edit distance.
func suggest(name string, candidates []string, sep string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := editDistance(name, c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= max(2, len(name)/4) {
		return best
	}
	leaf := name[strings.LastIndex(name, sep)+1:]
	for _, c := range candidates {
		if strings.HasSuffix(c, sep+leaf) || c == leaf {
			return c
		}
	}
	return ""
}

// didYouMean formats a suggestion for an error message.
func didYouMean(name string, candidates []string, sep string, quote bool) string {
	s := suggest(name, candidates, sep)
	switch {
	case s == "":
		return ""
	case quote:
		return ` (did you mean "` + s + `"?)`
	}
	return " (did you mean " + s + "?)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// optionKeys returns every key in table order.
func optionKeys() []string {
	keys := make([]string, len(optionTable))
	for i, o := range optionTable {
		keys[i] = o.key
	}
	return keys
}

// optionEnvNames returns every environment variable name in table order.
func optionEnvNames() []string {
	names := make([]string, len(optionTable))
	for i, o := range optionTable {
		names[i] = envName(o.key)
	}
	return names
}
