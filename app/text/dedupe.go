package text

// orderedSet collects strings in first-seen order without repeats, which is
// how Parsed lists are meant to be read: one entry per handle, tag or link.
type orderedSet struct {
	seen  map[string]struct{}
	items []string
}

// add appends s unless it was added before.
func (o *orderedSet) add(s string) {
	if _, ok := o.seen[s]; ok {
		return
	}
	if o.seen == nil {
		o.seen = make(map[string]struct{})
	}
	o.seen[s] = struct{}{}
	o.items = append(o.items, s)
}
