package cards

import "golang.org/x/net/html"

// tagAttrs reads the attributes of the tag the tokenizer is at (hasAttr
// as z.TagName reported it); of an attribute given twice, the first
// counts, as browsers take it.
func tagAttrs(z *html.Tokenizer, hasAttr bool) map[string]string {
	attrs := map[string]string{}
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		if _, seen := attrs[string(k)]; !seen {
			attrs[string(k)] = string(v)
		}
	}
	return attrs
}
