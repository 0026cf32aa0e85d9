package text

import (
	"strings"
	"unicode"
)

// paragraphs splits text into paragraphs of lines. Line endings are
// normalised first because posts from Windows and old Mac clients arrive with
// CRLF or CR. Blank lines (whitespace only counts as blank) separate
// paragraphs however many there are, so extra blank lines cannot be used to
// stretch a post; the text's own leading and trailing whitespace, and each
// line's trailing whitespace, carry nothing and are dropped.
func paragraphs(text string) [][]string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var paras [][]string
	var cur []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			if len(cur) > 0 {
				paras = append(paras, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	return append(paras, cur)
}
