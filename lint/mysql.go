package lint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/retortdb/retort/sqlsplit"
)

// Column is what the database says of an existing column, for telling
// whether a change of its type rewrites or copies the table (see
// [Options.Columns]).
type Column struct {
	// Type is the column's type as the database spells it: format_type
	// on PostgreSQL ("character varying(20)", "numeric(10,2)"),
	// information_schema.columns.column_type on MySQL ("varchar(20)",
	// "enum('a','b')", "int(11) unsigned").
	Type string
	// BytesPerChar is the most bytes one character takes in the
	// column's character set (4 for utf8mb4); 0 for other types.
	BytesPerChar int
	// MariaDB reports a MariaDB server, which widens a VARCHAR in place
	// whatever its length (MySQL only within the same length bytes).
	MariaDB bool
}

// columns looks a column up: [Options.Columns], or nil.
type columns func(table, column string) (Column, bool)

// copies tells why a MySQL/MariaDB ALTER TABLE, whose actions are the
// clauses cs, makes the server copy the table (ALGORITHM=COPY: every
// row rewritten while writes wait), or "" when InnoDB can run it in
// place or instantly. A statement that names ALGORITHM=INPLACE, INSTANT
// or NOCOPY never copies: the server refuses it instead. cols, when not
// nil, tells a column's current type, so that a MODIFY or CHANGE that
// keeps it, appends ENUM/SET values or widens a VARCHAR within its
// length bytes is known not to copy.
func (s *stmt) copies(cs [][2]int, cols columns) string {
	switch s.algorithm() {
	case "INPLACE", "INSTANT", "NOCOPY":
		return ""
	case "COPY":
		return "ALGORITHM=COPY"
	}
	addsPK := false
	for _, c := range cs {
		if s.seq(c[0], "ADD", "PRIMARY", "KEY") || (s.at(c[0]) == "ADD" && s.at(c[0]+1) == "CONSTRAINT" && s.in(c, "PRIMARY", "KEY")) {
			addsPK = true
		}
	}
	for _, c := range cs {
		if why := s.copyClause(c, addsPK, cols); why != "" {
			return why
		}
	}
	return ""
}

// copyClause is [stmt.copies] for one action.
func (s *stmt) copyClause(c [2]int, addsPK bool, cols columns) string {
	switch s.at(c[0]) {
	case "MODIFY", "CHANGE":
		return s.changeCopies(c, cols)
	case "CONVERT":
		return "CONVERT TO CHARACTER SET rewrites every row"
	case "ORDER":
		return "ORDER BY sorts the rows into a new copy"
	case "PARTITION", "REMOVE":
		if s.at(c[0]) == "PARTITION" || s.seq(c[0], "REMOVE", "PARTITIONING") {
			return "changing the partitioning copies the table"
		}
	case "DROP":
		if s.seq(c[0], "DROP", "PRIMARY", "KEY") && !addsPK {
			return "DROP PRIMARY KEY without adding another copies the table"
		}
	case "ADD":
		switch {
		case s.in(c, "FOREIGN", "KEY"):
			return "ADD FOREIGN KEY copies the table unless foreign_key_checks is 0"
		case s.in(c, "AUTO_INCREMENT"):
			return "an AUTO_INCREMENT column is filled by copying the table"
		case (s.in(c, "AS") || s.in(c, "GENERATED")) && (s.in(c, "STORED") || s.in(c, "PERSISTENT")):
			return "a STORED generated column is computed by copying the table"
		}
	}
	return ""
}

// typeEnd are the words that end a column type in a definition.
var typeEnd = map[string]bool{
	"NOT": true, "NULL": true, "DEFAULT": true, "COMMENT": true, "AFTER": true, "FIRST": true,
	"CHARACTER": true, "CHARSET": true, "COLLATE": true, "AUTO_INCREMENT": true, "PRIMARY": true,
	"UNIQUE": true, "KEY": true, "REFERENCES": true, "CHECK": true, "GENERATED": true, "AS": true,
	"ON": true, "INVISIBLE": true, "VISIBLE": true, "CONSTRAINT": true,
}

// changeCopies is copyClause for MODIFY [COLUMN] col def and CHANGE
// [COLUMN] old new def.
func (s *stmt) changeCopies(c [2]int, cols columns) string {
	verb := s.at(c[0])
	unknown := verb + " changes the column's definition, which copies the table unless its type stays the same, only ENUM/SET values are appended, or a VARCHAR grows (on MySQL within the same length bytes)"
	i := c[0] + 1
	if s.at(i) == "COLUMN" {
		i++
	}
	col := strings.Trim(s.toks[min(i, len(s.toks)-1)], "`")
	i++
	if verb == "CHANGE" {
		i++
	}
	j := i
	for j < c[1] && !typeEnd[s.at(j)] {
		j++
	}
	if cols == nil || i >= c[1] || s.in([2]int{j, c[1]}, "CHARACTER") || s.in([2]int{j, c[1]}, "CHARSET") || s.in([2]int{j, c[1]}, "COLLATE") {
		return unknown
	}
	old, ok := cols(s.table, col)
	if !ok {
		return unknown
	}
	oldToks, err := sqlsplit.Tokens(old.Type, sqlsplit.MySQL)
	if err != nil {
		return unknown
	}
	if inPlace(oldToks, s.toks[i:j], old) {
		return ""
	}
	return fmt.Sprintf("%s changes column %s from %s to %s, which copies the table", verb, col, old.Type, typeText(s.toks[i:j]))
}

// inPlace reports whether column old, of type from, can become type to
// without copying the table: the same type, ENUM/SET values appended
// within the same storage size, or a VARCHAR widened (on MySQL with
// its length still in the same number of bytes).
func inPlace(from, to []string, old Column) bool {
	a, b := typeText(from), typeText(to)
	if a == b {
		return true
	}
	ka, kb := strings.ToLower(from[0]), strings.ToLower(to[0])
	if ka != kb {
		return false
	}
	switch ka {
	case "enum", "set":
		va, vb := values(from), values(to)
		if len(vb) < len(va) || strings.Join(vb[:len(va)], ",") != strings.Join(va, ",") {
			return false
		}
		if ka == "enum" {
			return len(vb) <= 255
		}
		return (len(va)+7)/8 == (len(vb)+7)/8 || (len(va) > 32 && len(vb) <= 64)
	case "varchar":
		n, m := length(from), length(to)
		if n <= 0 || m < n {
			return false
		}
		bpc := max(old.BytesPerChar, 1)
		return old.MariaDB || (n*bpc <= 255) == (m*bpc <= 255)
	}
	return false
}

// typeText is a column type's tokens as one lower-case string (string
// literals kept), without the display width of integer types.
func typeText(toks []string) string {
	var b strings.Builder
	for k, t := range toks {
		if k > 0 && t != "(" && t != ")" && t != "," && toks[k-1] != "(" && toks[k-1] != "," {
			b.WriteByte(' ')
		}
		if !strings.HasPrefix(t, "'") {
			t = strings.ToLower(t)
		}
		b.WriteString(t)
	}
	out := b.String()
	for _, w := range []string{"tinyint", "smallint", "mediumint", "int", "integer", "bigint"} {
		if rest, ok := strings.CutPrefix(out, w+"("); ok {
			if k := strings.IndexByte(rest, ')'); k >= 0 {
				out = w + rest[k+1:]
			}
		}
	}
	if rest, ok := strings.CutPrefix(out, "integer"); ok {
		out = "int" + rest
	}
	return out
}

// values lists the quoted values of an ENUM or SET type.
func values(toks []string) []string {
	var out []string
	for _, t := range toks {
		if strings.HasPrefix(t, "'") {
			out = append(out, t)
		}
	}
	return out
}

// length is n of a type written name(n), or -1.
func length(toks []string) int {
	if len(toks) < 4 || toks[1] != "(" {
		return -1
	}
	n, err := strconv.Atoi(toks[2])
	if err != nil {
		return -1
	}
	return n
}

// algorithm returns the statement's ALGORITHM= value, upper-cased, or "".
func (s *stmt) algorithm() string {
	i := s.find(0, "ALGORITHM")
	if i < 0 {
		return ""
	}
	if s.at(i+1) == "=" {
		i++
	}
	return s.at(i + 1)
}
