package mastodon

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"pukeko/app/model"
)

// filterParams are the fields of a filter a request gives; nil ones were
// not given.
type filterParams struct {
	title   *string
	context *[]string
	action  *string
	expires **time.Time
}

// readFilterParams reads title, context[], filter_action and expires_in
// (titleName is "phrase" for v1 filters). problems lists what is wrong in
// what was given, as Mastodon's validation words it.
func (c *call) readFilterParams(titleName string) (filterParams, []string) {
	var p filterParams
	var problems []string
	if t := c.params.strPtr(titleName); t != nil {
		s := strings.TrimSpace(*t)
		p.title = &s
	}
	if c.params.has("context") {
		var ctx []string
		valid := true
		for _, v := range c.params.list("context") {
			if !slices.Contains(model.FilterContexts, v) {
				valid = false
			} else if !slices.Contains(ctx, v) {
				ctx = append(ctx, v)
			}
		}
		if len(ctx) == 0 {
			problems = append(problems, "Context can't be blank")
		}
		if !valid || len(ctx) == 0 {
			problems = append(problems, "Context None or invalid context supplied")
		}
		p.context = &ctx
	}
	if a := c.params.strPtr("filter_action"); a != nil {
		if !model.ValidFilterAction(*a) {
			problems = append(problems, "Action is not included in the list")
		}
		p.action = a
	}
	if c.params.has("expires_in") {
		var at *time.Time
		if s := strings.TrimSpace(c.params.str("expires_in")); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 || n > 100*365*24*3600 {
				problems = append(problems, "Expires in is not a number")
			} else {
				t := time.Now().Add(time.Duration(n) * time.Second)
				at = &t
			}
		}
		p.expires = &at
	}
	return p, problems
}

// keywordAttributes is one entry of keywords_attributes[].
type keywordAttributes struct {
	id        string
	keyword   *string
	wholeWord *bool
	destroy   bool
}

// apply sets what ka gives of keyword and whole_word on k; false when the
// keyword is then blank.
func (ka keywordAttributes) apply(k *model.FilterKeyword) bool {
	if ka.keyword != nil {
		k.Keyword = strings.TrimSpace(*ka.keyword)
	}
	if ka.wholeWord != nil {
		k.WholeWord = *ka.wholeWord
	}
	return k.Keyword != ""
}

// nestedIndexRE matches keywords_attributes[<index>][<field>].
var nestedIndexRE = regexp.MustCompile(`^keywords_attributes\[([^\]]*)\]\[([^\]]+)\]$`)

// keywordsAttributes reads keywords_attributes as Rails does: indexed
// (keywords_attributes[0][keyword], and JSON arrays of objects, which
// arrive that way) or as repeated keywords_attributes[][keyword] fields,
// taken in order.
func (c *call) keywordsAttributes() []keywordAttributes {
	indexed := map[string]map[string]string{}
	unindexed := map[string][]string{}
	for name, values := range c.params.values {
		m := nestedIndexRE.FindStringSubmatch(name)
		if m == nil || len(values) == 0 {
			continue
		}
		if m[1] == "" {
			unindexed[m[2]] = values
			continue
		}
		if indexed[m[1]] == nil {
			indexed[m[1]] = map[string]string{}
		}
		indexed[m[1]][m[2]] = values[0]
	}
	var entries []map[string]string
	keys := make([]string, 0, len(indexed))
	for k := range indexed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		x, errX := strconv.Atoi(keys[a])
		y, errY := strconv.Atoi(keys[b])
		if errX == nil && errY == nil {
			return x < y
		}
		return keys[a] < keys[b]
	})
	for _, k := range keys {
		entries = append(entries, indexed[k])
	}
	n := 0
	for _, vs := range unindexed {
		n = max(n, len(vs))
	}
	for k := 0; k < n; k++ {
		e := map[string]string{}
		for field, vs := range unindexed {
			if k < len(vs) {
				e[field] = vs[k]
			}
		}
		entries = append(entries, e)
	}
	out := make([]keywordAttributes, 0, len(entries))
	for _, e := range entries {
		var ka keywordAttributes
		ka.id = strings.TrimSpace(e["id"])
		if v, ok := e["keyword"]; ok {
			ka.keyword = &v
		}
		if v, ok := e["whole_word"]; ok {
			b := truthy(v)
			ka.wholeWord = &b
		}
		ka.destroy = truthy(e["_destroy"])
		out = append(out, ka)
	}
	return out
}
