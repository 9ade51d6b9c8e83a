package lint

import (
	"strings"

	"github.com/retortdb/retort/sqlsplit"
)

// typeRewrites reports whether ALTER [COLUMN] col [SET DATA] TYPE t, the
// action c, makes PostgreSQL rewrite the table. Without the column's
// current type (cols nil, or the column unknown) it may: true. Known,
// it does not when the new type is the same, a VARCHAR no shorter (or
// unbounded), TEXT from VARCHAR, or a NUMERIC with more precision and
// the same scale (or unconstrained), with no USING clause.
func (s *stmt) typeRewrites(c [2]int, cols columns) bool {
	i := c[0] + 1
	if s.at(i) == "COLUMN" {
		i++
	}
	if cols == nil || i >= c[1] || s.in(c, "USING") {
		return true
	}
	// Unquoted names fold to lower case.
	col := strings.Trim(s.toks[i], `"`)
	if !strings.HasPrefix(s.toks[i], `"`) {
		col = strings.ToLower(col)
	}
	t := s.find(i, "TYPE")
	if t < 0 || t >= c[1] {
		return true
	}
	j := t + 1
	for j < c[1] && s.at(j) != "COLLATE" && s.at(j) != "USING" {
		j++
	}
	old, ok := cols(s.table, col)
	if !ok {
		return true
	}
	oldToks, err := sqlsplit.Tokens(old.Type, sqlsplit.Postgres)
	if err != nil || len(oldToks) == 0 || j == t+1 {
		return true
	}
	return !pgCoercible(pgType(oldToks), pgType(s.toks[t+1:j]))
}

// pgType is a PostgreSQL type's tokens as one lower-case string, with
// the common aliases spelled as format_type spells them.
func pgType(toks []string) string {
	out := typeText(toks)
	for _, a := range [][2]string{
		{"varchar", "character varying"}, {"int4", "integer"}, {"int8", "bigint"}, {"int2", "smallint"},
		{"int", "integer"}, {"decimal", "numeric"}, {"bool", "boolean"}, {"float8", "double precision"},
		{"float4", "real"}, {"timestamptz", "timestamp with time zone"},
	} {
		if out == a[0] || strings.HasPrefix(out, a[0]+"(") || strings.HasPrefix(out, a[0]+"[") {
			return a[1] + out[len(a[0]):]
		}
	}
	return out
}

// pgCoercible reports whether PostgreSQL changes a column from type a to
// type b (both as [pgType] spells them) without rewriting the table.
func pgCoercible(a, b string) bool {
	if a == b {
		return true
	}
	base := func(t string) (string, []string) {
		name, args, ok := strings.Cut(t, "(")
		if !ok {
			return t, nil
		}
		return name, strings.Split(strings.TrimSuffix(args, ")"), ",")
	}
	an, aa := base(a)
	bn, ba := base(b)
	switch {
	case an == "character varying" && bn == "text":
		return true
	case an == "text" && b == "character varying":
		return true
	case an == "character varying" && bn == an:
		return ba == nil || (aa != nil && atoi(ba[0]) >= atoi(aa[0]))
	case an == "numeric" && bn == an:
		if ba == nil {
			return true
		}
		if aa == nil || len(aa) != len(ba) {
			return false
		}
		return atoi(ba[0]) >= atoi(aa[0]) && (len(ba) < 2 || strings.TrimSpace(ba[1]) == strings.TrimSpace(aa[1]))
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, r := range strings.TrimSpace(s) {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}
