package sqlite

// This file parses the CREATE TABLE and CREATE INDEX statements SQLite
// keeps in sqlite_master, for what its pragmas do not report (constraint
// names, check expressions, generated columns, partial indexes); the
// inspector in inspect.go calls it.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/retortdb/retort/schema"
)

// The CREATE statements in sqlite_master are read with a small lexer
// that knows SQLite's quoting and comments, and a parser that finds
// only what the pragmas do not tell.

type tokKind uint8

const (
	tokWord   tokKind = iota // bare identifier or keyword
	tokQuoted                // "x", [x] or `x`
	tokString                // 'x'
	tokNumber
	tokOther // punctuation, operators, blobs, parameters
)

type token struct {
	kind       tokKind
	text       string // as written
	value      string // unquoted for identifiers and strings
	start, end int    // offsets in the source
}

// tokenize splits src into tokens, dropping white space and comments.
func tokenize(src string) []token {
	var out []token
	for i := 0; i < len(src); {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
			continue
		case c == '-' && strings.HasPrefix(src[i:], "--"):
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j + 1
			} else {
				i = len(src)
			}
			continue
		case c == '/' && strings.HasPrefix(src[i:], "/*"):
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 4
			} else {
				i = len(src)
			}
			continue
		case c == '\'' || c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			i++
			var b strings.Builder
			for i < len(src) {
				if src[i] == closer {
					if closer != ']' && i+1 < len(src) && src[i+1] == closer {
						b.WriteByte(closer)
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(src[i])
				i++
			}
			kind := tokQuoted
			if c == '\'' {
				kind = tokString
			}
			out = append(out, token{kind: kind, text: src[start:i], value: b.String(), start: start, end: i})
			continue
		case (c == 'x' || c == 'X') && i+1 < len(src) && src[i+1] == '\'':
			j := strings.IndexByte(src[i+2:], '\'')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 3
			}
			out = append(out, token{kind: tokOther, text: src[start:i], start: start, end: i})
			continue
		case isWordByte(c) && !(c >= '0' && c <= '9') || c >= 0x80:
			for i < len(src) && (isWordByte(src[i]) || src[i] >= 0x80) {
				i++
			}
			out = append(out, token{kind: tokWord, text: src[start:i], value: src[start:i], start: start, end: i})
			continue
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			for i < len(src) && (isWordByte(src[i]) || src[i] == '.' ||
				(src[i] == '+' || src[i] == '-') && (src[i-1] == 'e' || src[i-1] == 'E')) {
				i++
			}
			out = append(out, token{kind: tokNumber, text: src[start:i], start: start, end: i})
			continue
		}
		i++
		if i < len(src) && strings.Contains("|| <= >= <> != == << >>", src[start:i+1]) {
			i++
		}
		out = append(out, token{kind: tokOther, text: src[start:i], start: start, end: i})
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// is reports whether tk is the keyword kw.
func (tk token) is(kw string) bool { return tk.kind == tokWord && strings.EqualFold(tk.text, kw) }

// name is the identifier a token names.
func (tk token) name() string {
	if tk.kind == tokNumber || tk.kind == tokOther {
		return tk.text
	}
	return tk.value
}

// closing returns the index of the parenthesis closing toks[i], or
// len(toks) when it is missing.
func closing(toks []token, i int) int {
	depth := 0
	for ; i < len(toks); i++ {
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(toks)
}

// splitList splits toks[open+1:close] at top-level commas.
func splitList(toks []token, open, close int) [][]token {
	var out [][]token
	depth, from := 0, open+1
	for i := open + 1; i < close; i++ {
		switch toks[i].text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, toks[from:i])
				from = i + 1
			}
		}
	}
	if from < close {
		out = append(out, toks[from:close])
	}
	return out
}

// inner is the source text between toks[open] and its closing
// parenthesis.
func inner(src string, toks []token, open int) string {
	c := closing(toks, open)
	if c >= len(toks) {
		return strings.TrimSpace(src[toks[open].end:])
	}
	return strings.TrimSpace(src[toks[open].end:toks[c].start])
}

type parsedTable struct {
	name         string
	columns      map[string]parsedColumn // by lower-case name
	pkName       string
	uniques      []schema.UniqueDef
	checks       []schema.CheckDef
	fks          []parsedFK
	withoutRowid bool
	strict       bool
}

type parsedColumn struct {
	autoincrement bool
	computed      schema.Computed
	collate       string
}

type parsedFK struct {
	name       string
	columns    []string
	refTable   string
	refColumns []string
	deferred   bool
}

// parseCreateTable reads the parts of a CREATE TABLE statement that the
// pragmas leave out.
func parseCreateTable(src string) (*parsedTable, error) {
	toks := tokenize(src)
	open := slices.IndexFunc(toks, func(tk token) bool { return tk.text == "(" })
	if open < 1 {
		return nil, fmt.Errorf("cannot read CREATE TABLE text %q", src)
	}
	p := &parsedTable{name: toks[open-1].name(), columns: map[string]parsedColumn{}}
	end := closing(toks, open)
	for _, tk := range toks[min(end+1, len(toks)):] {
		p.withoutRowid = p.withoutRowid || tk.is("ROWID")
		p.strict = p.strict || tk.is("STRICT")
	}
	for _, item := range splitList(toks, open, end) {
		if len(item) == 0 {
			continue
		}
		if first := item[0]; first.is("CONSTRAINT") || first.is("PRIMARY") || first.is("UNIQUE") || first.is("CHECK") || first.is("FOREIGN") {
			p.tableConstraint(src, item)
			continue
		}
		p.column(src, item)
	}
	return p, nil
}

var columnKeywords = []string{"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"}

func isColumnKeyword(tk token) bool {
	return slices.ContainsFunc(columnKeywords, tk.is)
}

// column reads a column definition's constraints.
func (p *parsedTable) column(src string, toks []token) {
	col := toks[0].name()
	var info parsedColumn
	i := 1
	for i < len(toks) && !isColumnKeyword(toks[i]) { // the type
		if toks[i].text == "(" {
			i = closing(toks, i)
		}
		i++
	}
	name := ""
	for i < len(toks) {
		tk := toks[i]
		switch {
		case tk.is("CONSTRAINT") && i+1 < len(toks):
			name = toks[i+1].name()
			i += 2
			continue
		case tk.is("PRIMARY"):
			p.pkName = name
			i += 2 // PRIMARY KEY
			if i < len(toks) && (toks[i].is("ASC") || toks[i].is("DESC")) {
				i++
			}
			i = skipConflict(toks, i)
			if i < len(toks) && toks[i].is("AUTOINCREMENT") {
				info.autoincrement = true
				i++
			}
		case tk.is("UNIQUE"):
			p.uniques = append(p.uniques, schema.UniqueDef{Name: name, Columns: []string{col}})
			i = skipConflict(toks, i+1)
		case tk.is("CHECK") && i+1 < len(toks):
			p.checks = append(p.checks, schema.CheckDef{Name: name, Expr: inner(src, toks, i+1)})
			i = closing(toks, i+1) + 1
		case tk.is("COLLATE") && i+1 < len(toks):
			info.collate = toks[i+1].text
			i += 2
		case tk.is("REFERENCES"):
			fk := parsedFK{name: name, columns: []string{col}}
			i = fk.references(toks, i)
			p.fks = append(p.fks, fk)
		case tk.is("GENERATED") || tk.is("ALWAYS"):
			i++
		case tk.is("AS") && i+1 < len(toks) && toks[i+1].text == "(":
			// [GENERATED ALWAYS] AS (expr) [STORED | VIRTUAL]
			info.computed = schema.Computed{Expr: inner(src, toks, i+1), Virtual: true}
			i = closing(toks, i+1) + 1
			if i < len(toks) && toks[i].is("STORED") {
				info.computed.Virtual = false
				i++
			}
		case tk.is("DEFAULT") && i+1 < len(toks):
			i++
			if toks[i].text == "+" || toks[i].text == "-" {
				i++
			}
			if i < len(toks) && toks[i].text == "(" {
				i = closing(toks, i)
			}
			i++
		case tk.is("NOT") || tk.is("NULL"):
			i = skipConflict(toks, i+1)
		default:
			i++
		}
		name = ""
	}
	p.columns[strings.ToLower(col)] = info
}

// skipConflict skips NULL (of NOT NULL) and an ON CONFLICT clause.
func skipConflict(toks []token, i int) int {
	if i < len(toks) && toks[i].is("NULL") {
		i++
	}
	if i+2 < len(toks) && toks[i].is("ON") && toks[i+1].is("CONFLICT") {
		i += 3
	}
	return i
}

// tableConstraint reads one table constraint.
func (p *parsedTable) tableConstraint(src string, toks []token) {
	name := ""
	if toks[0].is("CONSTRAINT") && len(toks) > 1 {
		name, toks = toks[1].name(), toks[2:]
	}
	if len(toks) == 0 {
		return
	}
	open := slices.IndexFunc(toks, func(tk token) bool { return tk.text == "(" })
	if open < 0 {
		return
	}
	switch {
	case toks[0].is("PRIMARY"):
		p.pkName = name
	case toks[0].is("UNIQUE"):
		p.uniques = append(p.uniques, schema.UniqueDef{Name: name, Columns: listNames(toks, open)})
	case toks[0].is("CHECK"):
		p.checks = append(p.checks, schema.CheckDef{Name: name, Expr: inner(src, toks, open)})
	case toks[0].is("FOREIGN"):
		fk := parsedFK{name: name, columns: listNames(toks, open)}
		if ref := closing(toks, open) + 1; ref < len(toks) && toks[ref].is("REFERENCES") {
			fk.references(toks, ref)
		}
		p.fks = append(p.fks, fk)
	}
}

// listNames returns the first name of each item of the list opened at
// toks[open] (the column of "col COLLATE x DESC").
func listNames(toks []token, open int) []string {
	var out []string
	for _, item := range splitList(toks, open, closing(toks, open)) {
		if len(item) > 0 {
			out = append(out, item[0].name())
		}
	}
	return out
}

// references reads REFERENCES parent [(cols)] [actions] [DEFERRABLE]
// starting at toks[i], returning the index after it.
func (fk *parsedFK) references(toks []token, i int) int {
	i++
	if i >= len(toks) {
		return i
	}
	fk.refTable = toks[i].name()
	i++
	if i < len(toks) && toks[i].text == "." && i+1 < len(toks) { // schema.table
		fk.refTable = toks[i+1].name()
		i += 2
	}
	if i < len(toks) && toks[i].text == "(" {
		fk.refColumns = listNames(toks, i)
		i = closing(toks, i) + 1
	}
	for i < len(toks) {
		switch tk := toks[i]; {
		case tk.is("ON") && i+2 < len(toks):
			i += 3 // ON DELETE CASCADE; SET NULL, SET DEFAULT and NO ACTION take one more
			if toks[i-1].is("SET") || toks[i-1].is("NO") {
				i++
			}
		case tk.is("MATCH"):
			i += 2
		case tk.is("NOT") && i+1 < len(toks) && toks[i+1].is("DEFERRABLE"):
			i += 2
			if i+1 < len(toks) && toks[i].is("INITIALLY") {
				i += 2
			}
		case tk.is("DEFERRABLE"):
			i++
			if i+1 < len(toks) && toks[i].is("INITIALLY") {
				fk.deferred = toks[i+1].is("DEFERRED")
				i += 2
			}
		default:
			return i
		}
	}
	return i
}

// parseCreateIndex reads the keys and WHERE clause of a CREATE INDEX
// statement.
func parseCreateIndex(src string) (schema.IndexDef, error) {
	var ix schema.IndexDef
	toks := tokenize(src)
	on := slices.IndexFunc(toks, func(tk token) bool { return tk.is("ON") })
	open := -1
	if on >= 0 {
		open = slices.IndexFunc(toks[on:], func(tk token) bool { return tk.text == "(" })
	}
	if open < 0 {
		return ix, fmt.Errorf("cannot read CREATE INDEX text %q", src)
	}
	open += on
	end := closing(toks, open)
	for _, item := range splitList(toks, open, end) {
		var part schema.IndexPart
		if n := len(item); n > 1 && (item[n-1].is("DESC") || item[n-1].is("ASC")) {
			part.Desc = item[n-1].is("DESC")
			item = item[:n-1]
		}
		if len(item) == 0 {
			continue
		}
		if len(item) == 1 && (item[0].kind == tokWord || item[0].kind == tokQuoted) {
			part.Column = item[0].name()
		} else {
			part.Expr = strings.TrimSpace(src[item[0].start:item[len(item)-1].end])
			if item[0].text == "(" && closing(item, 0) == len(item)-1 {
				part.Expr = inner(src, item, 0)
			}
		}
		ix.Parts = append(ix.Parts, part)
	}
	if end+1 < len(toks) && toks[end+1].is("WHERE") {
		ix.Where = strings.TrimSpace(src[toks[end+1].end:])
	}
	return ix, nil
}

// afterKeyword returns the text after the first top-level keyword kw
// (a view's query after AS).
func afterKeyword(src, kw string) string {
	toks := tokenize(src)
	depth := 0
	for _, tk := range toks {
		switch {
		case tk.text == "(":
			depth++
		case tk.text == ")":
			depth--
		case depth == 0 && tk.is(kw):
			return strings.TrimSpace(src[tk.end:])
		}
	}
	return ""
}

// afterName returns the text after the name that follows keyword kw
// (a trigger's definition after CREATE TRIGGER [IF NOT EXISTS] name).
func afterName(src, kw string) string {
	toks := tokenize(src)
	i := slices.IndexFunc(toks, func(tk token) bool { return tk.is(kw) })
	if i < 0 {
		return ""
	}
	i++
	if i+2 < len(toks) && toks[i].is("IF") && toks[i+1].is("NOT") && toks[i+2].is("EXISTS") {
		i += 3
	}
	if i+2 < len(toks) && toks[i+1].text == "." {
		i += 2
	}
	if i >= len(toks) {
		return ""
	}
	return strings.TrimSpace(src[toks[i].end:])
}
