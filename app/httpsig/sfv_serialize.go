package httpsig

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Serialisation is needed because the "@signature-params" line of an RFC
// 9421 signature base is the canonical serialisation of the Signature-Input
// member (RFC 8941 section 4.1), not its raw text.

// serializeInnerList writes an inner list with its parameters in canonical
// form (RFC 8941 section 4.1.1.1).
func serializeInnerList(items []sfItem, params []sfParam) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(' ')
		}
		writeBareItem(&b, it.value)
		writeParams(&b, it.params)
	}
	b.WriteByte(')')
	writeParams(&b, params)
	return b.String()
}

func writeParams(b *strings.Builder, params []sfParam) {
	for _, p := range params {
		b.WriteByte(';')
		b.WriteString(p.key)
		if v, ok := p.value.(bool); ok && v {
			continue
		}
		b.WriteByte('=')
		writeBareItem(b, p.value)
	}
}

func writeBareItem(b *strings.Builder, v any) {
	switch v := v.(type) {
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case sfDecimal:
		b.WriteString(string(v))
	case string:
		b.WriteByte('"')
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[i])
		}
		b.WriteByte('"')
	case sfToken:
		b.WriteString(string(v))
	case []byte:
		b.WriteByte(':')
		b.WriteString(base64.StdEncoding.EncodeToString(v))
		b.WriteByte(':')
	case bool:
		if v {
			b.WriteString("?1")
		} else {
			b.WriteString("?0")
		}
	}
}
