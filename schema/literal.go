package schema

import "strings"

// CutQuoted reads the SQL string literal at the start of s: a single
// quote, the text, and a closing single quote, with a quote inside the
// text written twice. It returns the text with each doubled quote made
// single, and the rest of s after the closing quote as it is (spaces
// included). ok is false, and value and rest empty, when s does not
// start with a quote or the literal is not closed. Backslashes are plain
// text, as in standard SQL. [Type.EnumValues] reads an inline enum's
// list with it, and the PostgreSQL inspector and autogenerate a quoted
// server default.
//
//	value, rest, ok := schema.CutQuoted("'it''s'::text") // "it's", "::text", true
func CutQuoted(s string) (value, rest string, ok bool) {
	if !strings.HasPrefix(s, "'") {
		return "", "", false
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), s[i+1:], true
	}
	return "", "", false
}
