package compare

import (
	"slices"
	"strings"

	"github.com/retortdb/retort/dialect"
	"github.com/retortdb/retort/schema"
)

// flavour is what the dialect can store, which decides what is
// equivalent.
type flavour struct {
	comments bool // tables and columns carry comments
	enums    bool // enum types exist (else an enum column is TEXT)
	inline   bool // enums are column types with their values (MySQL)
	batch    bool // ALTER TABLE cannot change columns or constraints
}

// flavourOf reads the flavour from the dialect's capabilities; without
// a dialect, everything is stored.
func flavourOf(d dialect.Dialect) flavour {
	if d == nil {
		return flavour{comments: true, enums: true}
	}
	c := d.Caps()
	return flavour{comments: c.Comments, enums: c.Enums, inline: c.InlineEnums, batch: c.RebuildsTables}
}

// comparable returns a normalised copy of t in the form its dialect
// would report it, for comparison only: the operations carry the
// original values.
func (f flavour) comparable(t *schema.Table) *schema.Table {
	c := *t
	c.Columns = slices.Clone(t.Columns)
	if t.PrimaryKey != nil {
		pk := *t.PrimaryKey
		c.PrimaryKey = &pk
	}
	c.Normalize()
	for i := range c.Columns {
		col := &c.Columns[i]
		switch {
		case f.inline:
			col.Type = inlineEnum(col.Type)
		case !f.enums && col.Type.Kind == schema.KindEnum:
			col.Type = schema.Text
		}
		if !f.comments {
			col.Comment = ""
		}
		if !col.Identity.IsZero() {
			col.Default = schema.DefaultValue{}
			col.Nullable = false
		}
		if !col.Computed.IsZero() {
			col.Default = schema.DefaultValue{}
		}
	}
	if !f.comments {
		c.Comment = ""
	}
	return &c
}

// inlineEnum returns a raw type written as an inline enum,
// RawType("ENUM('a', 'b')"), as the [schema.EnumOf] the inspector
// reports; other types as they are.
func inlineEnum(t schema.Type) schema.Type {
	if t.Kind != schema.KindRaw || !strings.HasPrefix(strings.ToLower(strings.TrimSpace(t.Name)), "enum(") {
		return t
	}
	if e, err := schema.ParseType(t.Name); err == nil && e.IsInlineEnum() {
		return e
	}
	return t
}

// onUpdateText is an ON UPDATE clause (MySQL) for comparison: NOW(),
// LOCALTIME, LOCALTIMESTAMP and CURRENT_TIMESTAMP() are
// CURRENT_TIMESTAMP, as the server reports them.
func onUpdateText(s string) string {
	t := strings.TrimSuffix(sqlText(s), "()")
	for _, alias := range []string{"now", "localtimestamp", "localtime"} {
		if rest, ok := strings.CutPrefix(t, alias); ok && (rest == "" || rest[0] == '(') {
			return "current_timestamp" + rest
		}
	}
	return t
}

// typeEqual reports whether two column types are the same type: equal,
// or raw SQL text equal but for case and spacing.
func typeEqual(a, b schema.Type) bool {
	if a == b {
		return true
	}
	if a.Kind == schema.KindRaw && b.Kind == schema.KindRaw {
		return sqlText(a.Name) == sqlText(b.Name)
	}
	return false
}

// defaultEqual reports whether two server defaults are equivalent:
// DEFAULT 0 and DEFAULT '0' are, as the server folds them alike, and
// expressions are compared but for case and spacing.
func defaultEqual(a, b schema.DefaultValue) bool {
	return canonicalDefault(a) == canonicalDefault(b)
}

func canonicalDefault(d schema.DefaultValue) schema.DefaultValue {
	if d.Kind != schema.DefaultExpression {
		return d
	}
	v := stripParens(strings.TrimSpace(d.Value))
	if lit, ok := quotedLiteral(v); ok {
		return schema.Literal(lit)
	}
	if isNumber(v) {
		return schema.Literal(strings.TrimPrefix(v, "+"))
	}
	switch lv := strings.ToLower(v); lv {
	case "true", "false":
		return schema.Literal(lv)
	case "null":
		return schema.DefaultValue{}
	}
	return schema.Expr(sqlText(v))
}

// quotedLiteral reads 'text' optionally followed by a ::type cast.
func quotedLiteral(s string) (string, bool) {
	v, rest, ok := schema.CutQuoted(s)
	if !ok {
		return "", false
	}
	if rest = strings.TrimSpace(rest); rest != "" && !strings.HasPrefix(rest, "::") {
		return "", false
	}
	return v, true
}

func isNumber(s string) bool {
	s = strings.TrimLeft(s, "+-")
	if s == "" {
		return false
	}
	dot := false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return s != "."
}

// stripParens removes parentheses that enclose the whole of s.
func stripParens(s string) string {
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' && closes(s) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closes returns the index of the parenthesis closing s[0].
func closes(s string) int {
	depth := 0
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// sqlText normalises SQL text for comparison: outer parentheses
// removed, spaces kept only between words, lower case outside quotes.
func sqlText(s string) string {
	s = stripParens(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";")))
	var b strings.Builder
	quote := byte(0)
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == quote {
				quote = 0
			}
			continue
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			continue
		case c == '\'' || c == '"':
			quote = c
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		if space && b.Len() > 0 && word(c) && word(b.String()[b.Len()-1]) {
			b.WriteByte(' ')
		}
		space = false
		b.WriteByte(c)
	}
	return b.String()
}

// word reports a character of a word: spaces between two words matter,
// others do not.
func word(c byte) bool {
	return c == '_' || c == '$' || c == '\'' || c == '"' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func indexEqual(a, b schema.IndexDef) bool {
	if a.Name != b.Name || a.Unique != b.Unique || sqlText(a.Where) != sqlText(b.Where) || len(a.Parts) != len(b.Parts) ||
		!strings.EqualFold(method(a.Using), method(b.Using)) {
		return false
	}
	for i, p := range a.Parts {
		q := b.Parts[i]
		if p.Column != q.Column || p.Desc != q.Desc || sqlText(p.Expr) != sqlText(q.Expr) {
			return false
		}
	}
	return true
}

func foreignKeyEqual(a, b schema.ForeignKeyDef) bool {
	return slices.Equal(a.Columns, b.Columns) && a.RefSchema == b.RefSchema && a.RefTable == b.RefTable &&
		(slices.Equal(a.RefColumns, b.RefColumns) || len(a.RefColumns) == 0 || len(b.RefColumns) == 0) &&
		a.OnDelete == b.OnDelete && a.OnUpdate == b.OnUpdate
}

// method is an index method with the default (btree) as "".
func method(m string) string {
	if strings.EqualFold(m, "btree") {
		return ""
	}
	return m
}

// computedEqual reports whether two generated-column clauses are the
// same: equal but for spacing, case and outer parentheses.
func computedEqual(a, b schema.Computed) bool {
	return a.Virtual == b.Virtual && sqlText(stripParens(a.Expr)) == sqlText(stripParens(b.Expr))
}
