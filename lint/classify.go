package lint

import "strings"

// stmt is what the classifier learns of one statement's tokens.
type stmt struct {
	toks  []string // as lexed
	up    []string // words upper-cased
	table string
}

type hit struct{ id, detail string }

func classify(toks []string) *stmt {
	s := &stmt{toks: toks, up: make([]string, len(toks))}
	for i, t := range toks {
		s.up[i] = strings.ToUpper(t)
	}
	return s
}

func (s *stmt) at(i int) string {
	if i < 0 || i >= len(s.up) {
		return ""
	}
	return s.up[i]
}

// seq reports whether words follow one another from index i.
func (s *stmt) seq(i int, words ...string) bool {
	for j, w := range words {
		if s.at(i+j) != w {
			return false
		}
	}
	return true
}

// find returns the first index >= i where words start, or -1.
func (s *stmt) find(i int, words ...string) int {
	for ; i < len(s.up); i++ {
		if s.seq(i, words...) {
			return i
		}
	}
	return -1
}

func (s *stmt) has(words ...string) bool { return s.find(0, words...) >= 0 }

// name reads a possibly qualified name from index i; it returns the
// name and the index after it.
func (s *stmt) name(i int) (string, int) {
	if s.seq(i, "IF", "EXISTS") {
		i += 2
	}
	if s.seq(i, "IF", "NOT", "EXISTS") {
		i += 3
	}
	if s.at(i) == "ONLY" {
		i++
	}
	n := s.at(i)
	if n == "" {
		return "", i
	}
	out := s.toks[i]
	i++
	for s.at(i) == "." && s.at(i+1) != "" {
		out += "." + s.toks[i+1]
		i += 2
	}
	return out, i
}

// creates returns the key (see [tableKey]) of the table the statement
// creates, by CREATE TABLE or by renaming another to it, or "". It sets
// table to the table renamed.
func (s *stmt) creates() string {
	switch {
	case s.seq(0, "CREATE", "TABLE"):
		n, _ := s.name(2)
		return tableKey(n)
	case s.seq(0, "RENAME", "TABLE"):
		n, i := s.name(2)
		s.table = n
		if s.at(i) == "TO" {
			to, _ := s.name(i + 1)
			return tableKey(to)
		}
	case s.seq(0, "ALTER", "TABLE"):
		n, i := s.name(2)
		if s.seq(i, "RENAME", "TO") || s.seq(i, "RENAME", "AS") {
			s.table = n
			to, _ := s.name(i + 2)
			return tableKey(to)
		}
	}
	return ""
}

// clauses splits ALTER TABLE's actions at top-level commas, from i.
func (s *stmt) clauses(i int) [][2]int {
	var out [][2]int
	depth, start := 0, i
	for ; i <= len(s.up); i++ {
		t := s.at(i)
		switch {
		case t == "(":
			depth++
		case t == ")":
			depth--
		case (t == "," && depth == 0) || t == "" || t == ";":
			if i > start {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
			if t == "" || t == ";" {
				return out
			}
		}
	}
	return out
}

func (s *stmt) in(r [2]int, words ...string) bool {
	for i := r[0]; i < r[1]; i++ {
		if s.seq(i, words...) {
			return true
		}
	}
	return false
}

// rules returns the rules the statement triggers on eng (the
// transaction rules are read by package txpolicy; see [run.statement]).
func (s *stmt) rules(eng Engine, cols columns) []hit {
	var out []hit
	add := func(id string) { out = append(out, hit{id: id}) }
	switch {
	case s.seq(0, "DROP", "TABLE"):
		s.table, _ = s.name(2)
		add(DropTable)
	case s.seq(0, "CREATE", "INDEX"), s.seq(0, "CREATE", "UNIQUE", "INDEX"):
		on := s.find(0, "ON")
		if on >= 0 {
			s.table, _ = s.name(on + 1)
		}
		if eng == Postgres && !s.has("CONCURRENTLY") {
			add(IndexBlocking)
		}
	case s.seq(0, "RENAME", "TABLE"):
		s.table, _ = s.name(2)
		add(Rename)
	case s.seq(0, "UPDATE"), s.seq(0, "DELETE"):
		if !s.has("WHERE") {
			i := 1
			if s.at(0) == "DELETE" && s.at(1) == "FROM" {
				i = 2
			}
			s.table, _ = s.name(i)
			add(NoWhere)
		}
	case s.seq(0, "ALTER", "TABLE"):
		var i int
		s.table, i = s.name(2)
		cs := s.clauses(i)
		for _, c := range cs {
			out = append(out, s.alterClause(eng, c, cols)...)
		}
		if eng == MySQL {
			if why := s.copies(cs, cols); why != "" {
				out = append(out, hit{TableCopy, why})
			}
		}
	}
	return out
}

// alterClause classifies one action of ALTER TABLE.
func (s *stmt) alterClause(eng Engine, c [2]int, cols columns) []hit {
	var out []hit
	add := func(id string) { out = append(out, hit{id: id}) }
	first := s.at(c[0])
	switch first {
	case "DROP":
		switch s.at(c[0] + 1) {
		case "CONSTRAINT", "INDEX", "KEY", "PRIMARY", "FOREIGN", "CHECK", "DEFAULT", "PARTITION", "NOT", "EXPRESSION", "IDENTITY":
		default:
			add(DropColumn)
		}
	case "RENAME":
		add(Rename)
	case "ADD":
		switch {
		case s.in(c, "FOREIGN", "KEY") || s.in(c, "REFERENCES") || s.in(c, "CHECK"):
			if eng == Postgres && !s.in(c, "NOT", "VALID") {
				add(ConstraintInvalid)
			}
			if s.in(c, "NOT", "NULL") && !s.in(c, "CONSTRAINT") && !s.in(c, "DEFAULT") && s.at(c[0]+1) != "CONSTRAINT" {
				add(AddNotNull)
			}
		case s.at(c[0]+1) == "CONSTRAINT", s.at(c[0]+1) == "PRIMARY", s.at(c[0]+1) == "UNIQUE",
			s.at(c[0]+1) == "INDEX", s.at(c[0]+1) == "KEY", s.at(c[0]+1) == "PARTITION":
		default:
			if s.in(c, "NOT", "NULL") && !s.in(c, "DEFAULT") && !s.in(c, "GENERATED") && !s.in(c, "AS") {
				add(AddNotNull)
			}
		}
	case "ALTER":
		switch {
		case s.in(c, "SET", "NOT", "NULL"):
			if eng == Postgres {
				add(SetNotNull)
			}
		case s.in(c, "TYPE"):
			if eng == Postgres && s.typeRewrites(c, cols) {
				add(TypeRewrite)
			}
		}
	}
	return out
}
